/** podman with the repository's settings (scripts/images/containers.conf), as the image scripts run it. */
import { execFileSync, spawn, spawnSync } from "node:child_process";

const repoRoot = new URL("../../../", import.meta.url).pathname;
const env = { ...process.env, CONTAINERS_CONF: `${repoRoot}scripts/images/containers.conf` };

export interface BuiltImage {
  app: string;
  tag: string;
  seconds: number;
  bytes: number;
}

/** How many lines of the build's stderr a failure carries, so the test report says which step failed and why. */
const FAILURE_TAIL_LINES = 30;

/**
 * Builds the apps' images (and the stand-in base image where needed) with scripts/images/build.sh. Its
 * stderr streams through as it runs; on failure the error carries the tail of it.
 */
export function buildImages(apps: readonly string[]): Promise<BuiltImage[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [`${repoRoot}scripts/images/build.sh`, ...apps], {
      cwd: repoRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderrTail: string[] = [];
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      process.stderr.write(chunk);
      stderrTail = [...stderrTail, ...chunk.split("\n")].slice(-FAILURE_TAIL_LINES - 1);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code !== 0) {
        const tail = stderrTail.join("\n").trimEnd();
        reject(new Error(`scripts/images/build.sh exited with ${code ?? signal}; its last lines:\n${tail}`));
        return;
      }
      resolve(
        stdout
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line) as BuiltImage),
      );
    });
  });
}

export function podman(args: readonly string[]): string {
  return execFileSync("podman", args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export function podmanSync(args: readonly string[]) {
  return spawnSync("podman", args, { env, encoding: "utf8", timeout: 60_000 });
}

export function podmanSpawn(args: readonly string[]) {
  return spawn("podman", args, { env });
}

/** `podman run` options that reproduce the task definition: init process, read-only root, no tmpfs. */
export function asOnEcs(environment: Record<string, string>): string[] {
  return [
    "--rm",
    "--init",
    "--read-only",
    "--read-only-tmpfs=false",
    "--network",
    "host",
    ...Object.entries(environment).flatMap(([name, value]) => ["--env", `${name}=${value}`]),
  ];
}
