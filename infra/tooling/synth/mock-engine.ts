import * as pulumi from "@pulumi/pulumi";
import { type ChildResource, type ComponentHost, PROVIDER_COMPONENTS } from "./provider-components.js";
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
  /** True for a component its provider builds (awsx's), false for the program's own. */
  getRemote(): boolean;
}
type Callback = (error: unknown, response?: { getUrn(): string }) => void;
interface Monitor {
  registerResource(request: RegisterRequest, callback: Callback): Promise<void>;
  /** What the mock monitor answers `pulumi:pulumi:getResource` from, by URN (a resource reference's target). */
  resources: Map<string, { urn: string; id: string | null; state: Record<string, unknown> }>;
}

/**
 * The Pulumi mock engine shared by `pnpm synth` and the infra tests: answers every resource with
 * realistic values for the stack's account and region, builds awsx's components as their provider
 * would, and records what was registered.
 */
export class MockEngine implements pulumi.runtime.Mocks {
  private readonly recorded: RecordedResource[] = [];
  private parentOfNext: string | null = null;
  private dependenciesOfNext: string[] = [];
  private ignoreChangesOfNext: string[] = [];
  private remoteOfNext = false;
  private justRecorded: RecordedResource | undefined;
  private monitor: Monitor | undefined;

  private constructor(
    readonly account: MockAccount,
    private readonly project: string,
    private readonly stack: string,
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
    const engine = new MockEngine(options, options.project, options.stack, options.stackOutputs ?? {});
    engine.catchProgramFailures();
    await pulumi.runtime.setMocks(engine, options.project, options.stack, false);
    const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
    if (!(monitor.resources instanceof Map))
      throw new Error("mock engine: @pulumi/pulumi's mock monitor no longer keeps its resources by URN");
    engine.monitor = monitor;
    engine.observeParents(monitor);
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
    if (!args.custom && this.remoteOfNext) return { id: undefined, state: this.build(record) };
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

  /**
   * Builds a provider's component as its provider would: registers its children (recorded like the
   * program's own resources) and answers its outputs, which may refer to those children.
   */
  private build(component: RecordedResource): Record<string, unknown> {
    const builder = PROVIDER_COMPONENTS[component.type];
    if (!builder) {
      throw new Error(
        `mock engine: no way to build the provider component ${component.type}; add it to infra/tooling/synth/provider-components.ts`,
      );
    }
    const componentUrn = this.urnOf(component.parent, component.type, component.name);
    const host: ComponentHost = {
      child: (type, name, inputs, dependsOn = []) => {
        const urn = this.urnOf(componentUrn, type, name);
        const answer = mockResourceState(type, name, inputs, this.account);
        const child: ChildResource = { urn, id: answer.id, state: { ...inputs, ...answer.state } };
        this.recorded.push({
          type,
          name,
          urn,
          parent: componentUrn,
          inputs,
          dependencies: dependsOn.map((dependency) => dependency.urn).sort(),
          ignoreChanges: [],
        });
        this.monitor?.resources.set(urn, child);
        return child;
      },
      reference: (child) => ({
        [pulumi.runtime.specialSigKey]: pulumi.runtime.specialResourceSig,
        urn: child.urn,
        id: child.id,
        packageVersion: "",
      }),
    };
    return builder(component.name, component.inputs, host);
  }

  /** A URN as the mock monitor forms it: the parent's own type, not its whole chain, qualifies the type. */
  private urnOf(parent: string | null, type: string, name: string): string {
    const parentType = parent?.split("::")[2]?.split("$").pop();
    return `urn:pulumi:${this.stack}::${this.project}::${parentType ? `${parentType}$` : ""}${type}::${name}`;
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
      this.remoteOfNext = request.getRemote();
      let record: RecordedResource | undefined;
      this.justRecorded = undefined;
      const done = register(request, (error, response) => {
        if (record && response) record.urn = response.getUrn();
        callback(error, response);
      });
      record = this.justRecorded;
      this.parentOfNext = null;
      this.remoteOfNext = false;
      return done;
    };
  }
}
