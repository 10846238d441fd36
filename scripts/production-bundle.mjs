// The production bundle of an app, built on the host the way its Dockerfile builds it in the image:
// `pnpm deploy --prod --offline` with injected workspace packages (compiled dist, production
// dependencies from the store the frozen install filled, workspace packages copied in). The deploy
// runs with an empty pnpm cache of its own, so it passes only if it needs no cache it did not fill,
// as on a new machine or in a fresh image layer. The apps' bundle tests start it in `--check` mode.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { walkRuntimeWorkspace } from "./build-digest.mjs";

export const repoRoot = new URL("..", import.meta.url).pathname;

/** The pnpm that runs this process's scripts, or the one on PATH. */
function pnpm(args, options) {
  const execpath = process.env.npm_execpath;
  if (execpath && /pnpm/.test(execpath)) return execFileSync(process.execPath, [execpath, ...args], options);
  return execFileSync("pnpm", args, options);
}

/** The pnpm command line, after `pnpm`, that both the Dockerfile and this script deploy `apps/<app>` with. */
export function deployArguments(app, outDir) {
  const name = readManifest(join("apps", app)).name;
  return [
    "--filter",
    name,
    "--config.inject-workspace-packages=true",
    "deploy",
    "--prod",
    "--offline",
    outDir,
  ];
}

/** Builds `apps/<app>`'s production bundle into `outDir` (which must not exist). */
export function buildProductionBundle(app, outDir) {
  const emptyCache = mkdtempSync(join(tmpdir(), "pnpm-cache-"));
  try {
    pnpm([`--config.cache-dir=${emptyCache}`, ...deployArguments(app, outDir)], {
      cwd: repoRoot,
      stdio: "pipe",
    });
  } catch (error) {
    throw new Error(`pnpm deploy of ${app} failed:\n${error.stderr ?? ""}${error.stdout ?? ""}`);
  } finally {
    rmSync(emptyCache, { recursive: true, force: true });
  }
  return outDir;
}

/** The `pnpm … deploy …` command line in the app's Dockerfile, as an argument list after `pnpm`. */
export function dockerfileDeployArguments(app) {
  const dockerfile = readFileSync(join(repoRoot, "apps", app, "Dockerfile"), "utf8");
  const line = dockerfile.match(/pnpm ((?:--?[\w.=-]+ |@[\w/-]+ )*deploy [^\n\\]*)/)?.[1] ?? "";
  return line.trim().split(/\s+/);
}

function readManifest(folder) {
  return JSON.parse(readFileSync(join(repoRoot, folder, "package.json"), "utf8"));
}

/** Folders of the workspace packages `apps/<app>` needs at run time, itself included, sorted. */
export function workspaceClosure(app) {
  const folders = [];
  walkRuntimeWorkspace(
    join(repoRoot, "apps", app),
    (_dir, label) => folders.push(label),
    (label, name) => {
      throw new Error(`${label}/node_modules/${name} is missing (run \`pnpm install --frozen-lockfile\`)`);
    },
  );
  return folders.sort();
}

/** Workspace package folders the app's Dockerfile copies into its build stage, sorted. */
export function dockerfileCopies(app) {
  const dockerfile = readFileSync(join(repoRoot, "apps", app, "Dockerfile"), "utf8");
  const copied = [...dockerfile.matchAll(/^COPY\s+((?:apps|packages)\/[\w-]+)\s+\S+\s*$/gm)].map(
    (match) => match[1],
  );
  return [...new Set(copied)].sort();
}

/** Workspace package folders the app's Dockerfile.dockerignore lets into the build context, sorted. */
export function dockerignoreIncludes(app) {
  const ignore = readFileSync(join(repoRoot, "apps", app, "Dockerfile.dockerignore"), "utf8");
  return [...ignore.matchAll(/^!((?:apps|packages)\/[\w-]+)\s*$/gm)].map((match) => match[1]).sort();
}

/** Starts the bundle's entry in `--check` mode with only `env` (and PATH) in its environment. */
export function startCheck(bundleDir, env) {
  return spawnSync(process.execPath, ["dist/main.js", "--check"], {
    cwd: bundleDir,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
}

/** A valid environment of each app for a dev stack, as infra would set it (queues in account 1111…). */
export const sampleEnvironments = {
  resizer: {
    QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/111111111111/icon-fanout-dev-size16",
    DEAD_LETTER_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/111111111111/icon-fanout-dev-size16-dlq",
    ICON_SIZE: "16",
    OUTPUT_BUCKET: "icon-fanout-dev-111111111111",
    SOURCE_BUCKETS: "icon-fanout-dev-111111111111,icon-fanout-prod-222222222222",
  },
  "metric-publisher": {
    CLUSTER_NAME: "icon-fanout-dev",
    SCALING_TARGETS: JSON.stringify([
      {
        size: 16,
        queueUrl: "https://sqs.eu-west-1.amazonaws.com/111111111111/icon-fanout-dev-size16",
        serviceName: "icon-fanout-dev-resizer16",
      },
    ]),
  },
};

/** Credentials and region that let the SDK sign requests to `endpoint`, a local stand-in for AWS. */
export function localAwsEnvironment(endpoint) {
  return {
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "example",
    AWS_ENDPOINT_URL: endpoint,
  };
}

/**
 * Runs `use` with the URL of an HTTP endpoint on 127.0.0.1 that accepts requests and never answers,
 * so an app's long poll is in flight until the app itself aborts it.
 */
export async function withSilentEndpoint(use) {
  const server = createServer(() => {});
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await use(`http://127.0.0.1:${server.address().port}`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

/**
 * Once `readyLine` appears in the child's stdout, calls `stop` (which delivers SIGTERM); resolves
 * with the exit code, the milliseconds from `stop` to the exit, and the output.
 */
export function stopWhenReady(child, readyLine, stop, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    let output = "";
    let signalledAt = 0;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      if (!signalledAt && output.includes(readyLine)) {
        signalledAt = Date.now();
        stop();
      }
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stopMs: signalledAt ? Date.now() - signalledAt : -1, output });
    });
  });
}

/**
 * Starts the bundle's entry as the container would, against `endpoint` for every AWS API, sends it
 * SIGTERM once `readyLine` appears on stdout, and resolves as `stopWhenReady` does.
 */
export function runUntilSigterm(bundleDir, env, endpoint, readyLine, timeoutMs = 30_000) {
  const child = spawn(process.execPath, ["dist/main.js"], {
    cwd: bundleDir,
    env: { PATH: process.env.PATH ?? "", ...localAwsEnvironment(endpoint), ...env },
  });
  return stopWhenReady(child, readyLine, () => child.kill("SIGTERM"), timeoutMs);
}
