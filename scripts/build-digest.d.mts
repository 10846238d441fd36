export declare function walkRuntimeWorkspace(
  packageDir: string,
  visit: (packageDir: string, label: string) => void,
  missing: (label: string, name: string) => void,
): void;
export declare function buildProblems(programDir: string): string[];
export declare function assertBuilt(programDir: string | URL, what: string): void;
