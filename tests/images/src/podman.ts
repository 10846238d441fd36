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

/** Builds the apps' images (and the stand-in base image where needed) with scripts/images/build.sh. */
export function buildImages(apps: readonly string[]): BuiltImage[] {
  const result = spawnSync("bash", [`${repoRoot}scripts/images/build.sh`, ...apps], {
    cwd: repoRoot,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (result.status !== 0) throw new Error(`scripts/images/build.sh exited with ${result.status}`);
  return result.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as BuiltImage);
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
