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
export declare const sampleEnvironments: Record<"resizer" | "metric-publisher", Record<string, string>>;
export declare function localAwsEnvironment(endpoint: string): Record<string, string>;
export declare function withSilentEndpoint<T>(use: (endpoint: string) => Promise<T>): Promise<T>;
export interface StopResult {
  code: number | null;
  stopMs: number;
  output: string;
}
export declare function stopWhenReady(
  child: import("node:child_process").ChildProcessWithoutNullStreams,
  readyLine: string,
  stop: () => void,
  timeoutMs?: number,
): Promise<StopResult>;
export declare function runUntilSigterm(
  bundleDir: string,
  env: Record<string, string>,
  endpoint: string,
  readyLine: string,
  timeoutMs?: number,
): Promise<StopResult>;
