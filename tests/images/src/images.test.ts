import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  localAwsEnvironment,
  sampleEnvironments,
  stopWhenReady,
  withSilentEndpoint,
} from "../../../scripts/production-bundle.mjs";
import { asOnEcs, type BuiltImage, buildImages, podman, podmanSpawn, podmanSync } from "./podman.js";

const APPS = ["resizer", "metric-publisher"] as const;
const built = new Map<string, BuiltImage>();
const tagOf = (app: string) => built.get(app)?.tag ?? `missing image of ${app}`;

beforeAll(async () => {
  for (const image of await buildImages(APPS)) built.set(image.app, image);
});

afterAll(() => {
  const rows = [...built.values()].map(
    (image) => `  ${image.app}: ${(image.bytes / 1024 ** 2).toFixed(0)} MiB, built in ${image.seconds} s`,
  );
  process.stderr.write(`images:\n${rows.join("\n")}\n`);
});

describe.each(APPS)("the %s image, built from its real Dockerfile", (app) => {
  const environment = sampleEnvironments[app];

  it("runs as the node user (uid 1000), not root", () => {
    expect(podman(["image", "inspect", "--format", "{{.Config.User}}", tagOf(app)]).trim()).toBe("node");
    const id = podmanSync(["run", ...asOnEcs({}), tagOf(app), "id", "-u"]);
    expect(id.stdout.trim(), id.stderr).toBe("1000");
  });

  it("passes its --check on a read-only root with a valid environment", () => {
    const result = podmanSync([
      "run",
      ...asOnEcs(environment),
      tagOf(app),
      "node",
      "dist/main.js",
      "--check",
    ]);
    expect(result.status, result.stderr + result.stdout).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ level: "info", msg: "check passed" });
  });

  it("refuses an invalid environment with exit 1, naming the variable", () => {
    const result = podmanSync(["run", ...asOnEcs({}), tagOf(app), "node", "dist/main.js", "--check"]);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ msg: "invalid environment" });
    expect(result.stdout).toContain(": is required");
  });

  it("started as ECS starts it, exits 0 within 5 s of SIGTERM", async () => {
    const name = `icon-fanout-image-test-${app}-${process.pid}`;
    const result = await withSilentEndpoint((endpoint) => {
      const child = podmanSpawn([
        "run",
        "--name",
        name,
        ...asOnEcs({ ...localAwsEnvironment(endpoint), ...environment }),
        tagOf(app),
      ]);
      return stopWhenReady(child, '"msg":"started"', () => {
        podmanSpawn(["kill", "--signal", "SIGTERM", name]);
      });
    });
    expect(result.code, result.output).toBe(0);
    expect(result.stopMs).toBeLessThan(5_000);
    expect(result.output).toContain('"msg":"stopped"');
  });

  it("ships the compiled app and production dependencies only", () => {
    const listing = podman([
      "run",
      ...asOnEcs({}),
      tagOf(app),
      "sh",
      "-c",
      "ls node_modules/.pnpm; find dist",
    ]);
    expect(listing).toContain("dist/main.js");
    for (const devOnly of ["vitest", "typescript", "@biomejs", "aws-sdk-client-mock", "test-icons"])
      expect(listing).not.toContain(devOnly);
    expect(listing).not.toMatch(/\.test\.js|dist\/bench|dist\/testing/);
  });
});
