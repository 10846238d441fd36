export declare const repoRoot: string;
export declare function buildProductionBundle(app: string, outDir: string): string;
export declare function deployArguments(app: string, outDir: string): string[];
export declare function dockerfileDeployArguments(app: string): string[];
export declare function workspaceClosure(app: string): string[];
export declare function dockerfileCopies(app: string): string[];
export declare function dockerignoreIncludes(app: string): string[];
export declare function startCheck(
  bundleDir: string,
  env: Record<string, string>,
): import("node:child_process").SpawnSyncReturns<string>;
export declare function runUntilSigterm(
  bundleDir: string,
  env: Record<string, string>,
  endpoint: string,
  readyLine: string,
  timeoutMs?: number,
): Promise<{ code: number | null; stopMs: number; output: string }>;
