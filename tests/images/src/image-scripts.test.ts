/**
 * The stand-in base image's download step (scripts/images/npm-pack.sh) against a registry on loopback
 * served over TLS with a certificate of its own: the step must trust exactly the CA bundle it is given,
 * and when it cannot reach the registry it must fail loudly with npm's own reason.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const script = new URL("../../../scripts/images/npm-pack.sh", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "npm-pack-test-"));
const caFile = join(work, "registry-ca.pem");
const PACKAGE = { name: "tiny-pkg", version: "1.0.0" };
const tarballName = `${PACKAGE.name}-${PACKAGE.version}.tgz`;
let tarball: Buffer;
let server: Server;
let registry: string;

/** A self-signed certificate for 127.0.0.1, so no CA bundle on the machine trusts it. */
function makeCertificate(): { key: string; cert: string } {
  const keyFile = join(work, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=npm-pack test registry",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      keyFile,
      "-out",
      caFile,
    ],
    { stdio: "ignore" },
  );
  return { key: readFileSync(keyFile, "utf8"), cert: readFileSync(caFile, "utf8") };
}

function makeTarball(): Buffer {
  const source = join(work, "source", "package");
  mkdirSync(source, { recursive: true });
  writeFileSync(join(source, "package.json"), JSON.stringify(PACKAGE));
  const file = join(work, tarballName);
  execFileSync("tar", ["-czf", file, "-C", join(work, "source"), "package"]);
  return readFileSync(file);
}

function packument(base: string) {
  const integrity = `sha512-${createHash("sha512").update(tarball).digest("base64")}`;
  return {
    name: PACKAGE.name,
    "dist-tags": { latest: PACKAGE.version },
    versions: {
      [PACKAGE.version]: {
        ...PACKAGE,
        dist: { tarball: `${base}${PACKAGE.name}/-/${tarballName}`, integrity },
      },
    },
  };
}

/** Runs the step in a child process (asynchronously: the registry answers from this process). */
async function npmPack(registryUrl: string, caBundle: string | undefined) {
  const dest = mkdtempSync(join(work, "dest-"));
  const home = mkdtempSync(join(work, "home-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    npm_config_cache: join(home, "npm-cache"),
    npm_config_registry: registryUrl,
    npm_config_fetch_retries: "0",
    NO_PROXY: "127.0.0.1",
    no_proxy: "127.0.0.1",
  };
  if (caBundle === undefined) delete env.NODE_EXTRA_CA_CERTS;
  else env.NODE_EXTRA_CA_CERTS = caBundle;
  const child = spawn("bash", [script, dest, `${PACKAGE.name}@${PACKAGE.version}`], { env });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { status, stderr, dest };
}

beforeAll(async () => {
  tarball = makeTarball();
  server = createServer(makeCertificate(), (request, response) => {
    if (request.url === `/${PACKAGE.name}`) {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify(packument(registry)));
    } else if (request.url === `/${PACKAGE.name}/-/${tarballName}`) {
      response.setHeader("content-type", "application/octet-stream");
      response.end(tarball);
    } else {
      response.statusCode = 404;
      response.end("{}");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  registry = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

describe("scripts/images/npm-pack.sh, the stand-in image's download step", () => {
  it("fetches the package through the CA bundle named by NODE_EXTRA_CA_CERTS", async () => {
    const result = await npmPack(registry, caFile);
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(result.dest, tarballName)).equals(tarball)).toBe(true);
  });

  it("fails with npm's own TLS error when the bundle does not trust the registry (the variable did not reach it)", async () => {
    const result = await npmPack(registry, undefined);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/self[- ]signed certificate/i);
    expect(result.stderr).toContain(
      `npm-pack: could not fetch ${PACKAGE.name}@${PACKAGE.version} from ${registry}`,
    );
  });

  it("fails with the connection error when the registry cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await npmPack(`https://127.0.0.1:${port}/`, caFile);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("ECONNREFUSED");
  });
});
