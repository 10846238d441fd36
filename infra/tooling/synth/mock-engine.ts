import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { type MockAccount, mockResourceState } from "./resource-state.js";

/** One resource as the program registered it. */
export interface RecordedResource {
  type: string;
  name: string;
  urn: string;
  /** The parent's URN; null only for the stack itself. */
  parent: string | null;
  /** Inputs exactly as the program passed them, fully resolved. */
  inputs: Record<string, unknown>;
  /** URNs this resource waits for (explicit `dependsOn` and those its inputs came from), sorted. */
  dependencies: string[];
  /** Properties whose drift Pulumi ignores after creation (`ignoreChanges`). */
  ignoreChanges: string[];
}

interface RegisterRequest {
  getParent(): string;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
}
type Callback = (error: unknown, response?: { getUrn(): string }) => void;
interface Monitor {
  registerResource(request: RegisterRequest, callback: Callback): Promise<void>;
}

/**
 * The Pulumi mock engine shared by `pnpm synth` and the infra tests: answers every resource and
 * invoke with realistic values for the stack's account and region, and records what was registered.
 */
export class MockEngine implements pulumi.runtime.Mocks {
  private readonly recorded: RecordedResource[] = [];
  private parentOfNext: string | null = null;
  private dependenciesOfNext: string[] = [];
  private ignoreChangesOfNext: string[] = [];
  private justRecorded: RecordedResource | undefined;

  private constructor(
    readonly account: MockAccount,
    private readonly stackOutputs: Readonly<Record<string, Record<string, unknown>>>,
  ) {}

  /**
   * Starts a mocked deployment of `stack`; resources created after this are recorded here.
   * `stackOutputs` answers stack references, by the referenced stack's full name.
   */
  static async start(
    options: MockAccount & {
      project: string;
      stack: string;
      stackOutputs?: Record<string, Record<string, unknown>>;
    },
  ): Promise<MockEngine> {
    const engine = new MockEngine(options, options.stackOutputs ?? {});
    engine.catchProgramFailures();
    await pulumi.runtime.setMocks(engine, options.project, options.stack, false);
    engine.observeParents(pulumi.runtime.getMonitor() as unknown as Monitor);
    return engine;
  }

  /**
   * Waits until every registration and invoke has been answered, then throws the program's first
   * failure (as `pulumi up` would report it) or returns what was registered.
   */
  async settle(): Promise<RecordedResource[]> {
    try {
      await pulumi.runtime.disconnect();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      this.releaseProcess();
    }
    const [failure] = this.failures;
    if (failure) throw failure;
    return this.resources;
  }

  private readonly failures: Error[] = [];
  private releaseProcess: () => void = () => {};

  /**
   * An output that fails (a deploy-time check, say) rejects every resource that uses it, outside
   * any caller's await. Like Pulumi's language host, the engine owns the process while a program
   * runs and collects those failures instead of letting them crash it.
   */
  private catchProgramFailures(): void {
    const previous = process.rawListeners("unhandledRejection") as NodeJS.UnhandledRejectionListener[];
    const collect: NodeJS.UnhandledRejectionListener = (reason) => {
      const error = reason instanceof Error ? reason : new Error(String(reason));
      error.message = error.message.replace(/^(?:error serializing property "[^"]*": )+/, "");
      this.failures.push(error);
    };
    process.removeAllListeners("unhandledRejection");
    process.on("unhandledRejection", collect);
    this.releaseProcess = () => {
      process.off("unhandledRejection", collect);
      for (const listener of previous) process.on("unhandledRejection", listener);
      this.releaseProcess = () => {};
    };
  }

  /** What has been registered so far, sorted by URN so output is repeatable. */
  get resources(): RecordedResource[] {
    return [...this.recorded].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    const record: RecordedResource = {
      type: args.type,
      name: args.name,
      urn: "",
      parent: this.parentOfNext,
      inputs,
      dependencies: this.dependenciesOfNext,
      ignoreChanges: this.ignoreChangesOfNext,
    };
    this.recorded.push(record);
    this.justRecorded = record;
    if (args.type === "awsx:ecr:Image") return { id: undefined, state: { imageUri: imageUri(inputs) } };
    if (!args.custom) return { id: undefined, state: {} };
    if (args.type === "pulumi:pulumi:StackReference") return this.stackReference(String(inputs.name));
    const { id, state } = mockResourceState(args.type, args.name, inputs, this.account);
    return { id, state: { ...inputs, ...state } };
  }

  private stackReference(name: string): pulumi.runtime.MockResourceResult {
    const outputs = this.stackOutputs[name];
    if (!outputs) throw new Error(`mock engine: no outputs known for stack reference ${name}`);
    return { id: name, state: { name, outputs, secretOutputNames: [] } };
  }

  /** The program calls no provider functions; one that starts to must be answered here first. */
  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    const message = `mock engine: no answer for invoke ${args.token}; add it to infra/tooling/synth/mock-engine.ts`;
    // The SDK reports a failed invoke by the gRPC error's `details`, not its message.
    throw Object.assign(new Error(message), { details: message });
  }

  /**
   * The mock API hands `newResource` no parent, so wrap the monitor: it calls `newResource`
   * synchronously inside `registerResource`, which lets us pass the parent and dependencies alongside.
   */
  private observeParents(monitor: Monitor): void {
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
      this.parentOfNext = request.getParent() || null;
      this.dependenciesOfNext = [...new Set(request.getDependenciesList())].sort();
      this.ignoreChangesOfNext = [...request.getIgnorechangesList()].sort();
      let record: RecordedResource | undefined;
      this.justRecorded = undefined;
      const done = register(request, (error, response) => {
        if (record && response) record.urn = response.getUrn();
        callback(error, response);
      });
      record = this.justRecorded;
      this.parentOfNext = null;
      return done;
    };
  }
}

/** What awsx.ecr.Image reports after a push: the repository URL pinned to a digest of what was built. */
function imageUri(inputs: Record<string, unknown>): string {
  const digest = createHash("sha256")
    .update(JSON.stringify([inputs.dockerfile, inputs.platform]))
    .digest("hex");
  return `${String(inputs.repositoryUrl)}@sha256:${digest}`;
}
