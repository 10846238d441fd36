import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { policies } from "./policies.js";

const packDir = fileURLToPath(new URL("..", import.meta.url));
const repoRoot = join(packDir, "..", "..");
/** What Pulumi's policy runner does with the pack's directory: `require` it (package.json "main"). */
const load = ["-e", "require(process.cwd())"];

/** The engine's side of the analyzer protocol, from the Pulumi SDK the pack itself runs on. */
const fromPulumi = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi"));
const grpc = fromPulumi("@grpc/grpc-js");
const proto = fromPulumi("./proto/analyzer_pb.js");
const rpc = fromPulumi("./proto/analyzer_grpc_pb.js");
const empty = fromPulumi("google-protobuf/google/protobuf/empty_pb.js");
const struct = fromPulumi("google-protobuf/google/protobuf/struct_pb.js");
const MANDATORY = proto.EnforcementLevel.MANDATORY;
const ADVISORY = proto.EnforcementLevel.ADVISORY;
/** How the engine sends a string input that is unknown during preview (e.g. an ARN AWS has not assigned yet). */
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

interface AnalyzerInfo {
  getName(): string;
  getPoliciesList(): { getName(): string; getEnforcementlevel(): number }[];
}
interface AnalyzeResponse {
  getDiagnosticsList(): { getPolicyname(): string; getEnforcementlevel(): number; getMessage(): string }[];
}
type Analyzer = Record<
  string,
  (request: unknown, done: (error: Error | null, response: unknown) => void) => void
>;

function call<T>(analyzer: Analyzer, method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) =>
    analyzer[method]?.(request, (error, response) => (error ? reject(error) : resolve(response as T))),
  );
}

/** Starts the pack as the Pulumi CLI does and connects to the port it prints. */
async function startPack(): Promise<Analyzer> {
  const child = spawn(process.execPath, load, { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await vi.waitFor(() => expect(stdout, stderr).toMatch(/^\d+\n/), { timeout: 50_000, interval: 50 });
  const client = new rpc.AnalyzerClient(`127.0.0.1:${stdout.trim()}`, grpc.credentials.createInsecure());
  clients.push(client);
  return client as Analyzer;
}

const children: ChildProcess[] = [];
const clients: { close(): void }[] = [];
const scratch: string[] = [];
afterAll(() => {
  for (const client of clients) client.close();
  for (const child of children) child.kill();
  for (const root of scratch) rmSync(root, { recursive: true, force: true });
});

// Each test starts Node with the Pulumi SDK, which takes seconds on a busy machine.
describe("the pack as Pulumi loads it", { timeout: 60_000 }, () => {
  it("serves its policies to the engine on 127.0.0.1, mandatory, and reports a violation", async () => {
    const analyzer = await startPack();
    const info = await call<AnalyzerInfo>(analyzer, "getAnalyzerInfo", new empty.Empty());
    expect(info.getName()).toBe("icon-fanout");
    expect(info.getPoliciesList().map((policy) => [policy.getName(), policy.getEnforcementlevel()])).toEqual(
      policies.map((policy) => [policy.name, MANDATORY]),
    );

    const queuePolicy = (condition: Record<string, unknown>) => {
      const request = new proto.AnalyzeRequest();
      request.setType("aws:sqs/queuePolicy:QueuePolicy");
      request.setUrn("urn:pulumi:prod::icon-fanout::aws:sqs/queuePolicy:QueuePolicy::q-policy");
      request.setName("q-policy");
      request.setOptions(new proto.AnalyzerResourceOptions());
      const statement = {
        Sid: "TopicDelivers",
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: "arn:aws:sqs:eu-west-1:222222222222:q",
        ...condition,
      };
      const tls = {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: "arn:aws:sqs:eu-west-1:222222222222:q",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      };
      request.setProperties(
        struct.Struct.fromJavaScript({
          policy: JSON.stringify({ Version: "2012-10-17", Statement: [tls, statement] }),
        }),
      );
      return request;
    };
    const open = await call<AnalyzeResponse>(analyzer, "analyze", queuePolicy({}));
    expect(
      open
        .getDiagnosticsList()
        .map((diagnostic) => [diagnostic.getPolicyname(), diagnostic.getEnforcementlevel()]),
    ).toEqual([["service-principals-have-source-conditions", MANDATORY]]);
    const tied = await call<AnalyzeResponse>(
      analyzer,
      "analyze",
      queuePolicy({ Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-1:222222222222:t" } } }),
    );
    expect(tied.getDiagnosticsList()).toEqual([]);
  });

  it("only warns (advisory) when a policy document is unknown during preview, as on a new stack", async () => {
    const analyzer = await startPack();
    const request = new proto.AnalyzeRequest();
    request.setType("aws:sqs/queuePolicy:QueuePolicy");
    request.setUrn("urn:pulumi:prod::icon-fanout::aws:sqs/queuePolicy:QueuePolicy::q-policy");
    request.setName("q-policy");
    request.setOptions(new proto.AnalyzerResourceOptions());
    request.setProperties(struct.Struct.fromJavaScript({ policy: UNKNOWN_STRING }));
    const diagnostics = (await call<AnalyzeResponse>(analyzer, "analyze", request)).getDiagnosticsList();
    expect(
      diagnostics.map((diagnostic) => [diagnostic.getPolicyname(), diagnostic.getEnforcementlevel()]),
    ).toEqual(
      policies.filter((policy) => "validateResource" in policy).map((policy) => [policy.name, ADVISORY]),
    );
    for (const diagnostic of diagnostics)
      expect(diagnostic.getMessage()).toMatch(
        /^can't run policy '.+' .* during preview: .*\.policy can't be known/,
      );
  });

  it("refuses a build older than its sources, naming the command to run", () => {
    const root = mkdtempSync(join(tmpdir(), "icon-fanout-pack-"));
    scratch.push(root);
    const copy = join(root, "packages", "policy-pack");
    mkdirSync(join(root, "scripts"), { recursive: true });
    cpSync(join(repoRoot, "scripts", "build-digest.mjs"), join(root, "scripts", "build-digest.mjs"));
    cpSync(join(repoRoot, "tsconfig.base.json"), join(root, "tsconfig.base.json"));
    cpSync(packDir, copy, {
      recursive: true,
      filter: (source) => !/node_modules|\.test-results/.test(source),
    });
    symlinkSync(join(packDir, "node_modules"), join(copy, "node_modules"));
    appendFileSync(join(copy, "src", "policies.ts"), "\n// edited after the build\n");

    const result = spawnSync(process.execPath, load, { cwd: copy, encoding: "utf8" });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(
      /packages\/policy-pack\/dist was built from other sources than those in packages\/policy-pack\/\n.*Run `pnpm build` at the repository root/s,
    );
  });
});
