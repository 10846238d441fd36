export declare const DIGEST_FILE: string;
export declare function sourceDigest(packageDir: string): string;
export declare function buildProblems(programDir: string): string[];
export declare function assertBuilt(programDir: string | URL, what: string): void;
