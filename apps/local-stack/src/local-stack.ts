import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  HEALTH_CHECK,
  LOCAL_STACK_FILE_VARIABLE,
  type LocalStack,
  TICK_SECONDS_VARIABLE,
} from "@icon-fanout/config";
import { type AppProcess, AppProcesses } from "./app-processes.js";
import { autoscaledSizes, stackPolicy } from "./autoscaled-sizes.js";
import { LocalAutoscaler, publisherTickSeconds } from "./autoscaler.js";
import { type Emulator, startEmulator } from "./emulator.js";
import { LOCAL_CREDENTIAL_VARIABLES } from "./local-credentials.js";
import { emulatorClients, type Provisioned, provision } from "./provision.js";
import { S3Notifier } from "./s3-notifier.js";
import { planStack, readSynthDocument, type ServicePlan, type StackPlan } from "./stack-plan.js";

export interface LocalStackOptions {
  /** `synth/<stack>.json`, written by `pnpm synth <stack>`. */
  synthFile: string;
  /** Where the stack file, the metrics file and the process logs go (e.g. `.local/dev`). */
  stateDir: string;
  /** The repository root: apps run from `apps/<app>/dist`. */
  repoRoot: string;
  /** Processes per resizer service; default: the service's desiredCount. */
  workersPerSize?: number;
  /** Scale the resizer processes by the stack's policies (`pnpm local --autoscale`) instead of a fixed count. */
  autoscale?: { periodSeconds: number };
  /** Extra environment for a service's processes (tests and benchmarks tune the worker). */
  environmentFor?: (service: ServicePlan) => Record<string, string>;
  log?: (line: string) => void;
}

export interface RunningLocalStack {
  readonly plan: StackPlan;
  readonly emulator: Emulator;
  readonly provisioned: Provisioned;
  readonly notifier: S3Notifier;
  readonly processes: AppProcesses;
  /** The file `iconctl --local` and the publisher's local mode read. */
  readonly stackFile: string;
  readonly state: LocalStack;
  /** The autoscaler, when `autoscale` was given. */
  readonly autoscaler: LocalAutoscaler | undefined;
  /** Starts one more process of a service; `environment`, if given, replaces `environmentFor`'s. */
  startProcess(service: string, environment?: Record<string, string>): AppProcess;
  /** Stops every process (SIGTERM, then SIGKILL after `graceMs`), then the emulator. */
  stop(graceMs?: number): Promise<void>;
}

/** The app a service runs whose processes the metric publisher counts as tasks. */
const PUBLISHER_APP = "metric-publisher";

/**
 * The whole pipeline on this machine: fauxqs on 127.0.0.1 provisioned from the synthesized
 * stack, S3 notifications delivered per the stack's configuration, and every ECS service's app
 * run as processes with its task definition's environment, pointed at the emulator.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<RunningLocalStack> {
  const log = options.log ?? (() => {});
  const plan = planStack(await readSynthDocument(options.synthFile));
  // A new run starts with no logs, metric or stack file of a previous one.
  rmSync(options.stateDir, { recursive: true, force: true });
  mkdirSync(join(options.stateDir, "logs"), { recursive: true });
  const stackFile = join(options.stateDir, "stack.json");

  const emulator = await startEmulator({ region: plan.region });
  let processes: AppProcesses | undefined;
  let autoscaler: LocalAutoscaler | undefined;
  try {
    const provisioned = await provision(plan, emulator.endpoint);
    const notifier = new S3Notifier(
      emulatorClients(emulator.endpoint, plan.region).sns,
      plan.bucket,
      plan.region,
      provisioned.notifications,
      log,
    );
    emulator.onObjectChange((change) => notifier.notify(change));
    await notifier.sendTestEvents();

    const outputs = JSON.parse(
      provisioned.names.translate(JSON.stringify(plan.outputs)),
    ) as StackPlan["outputs"];
    // No access points in the emulator: designers' uploads go to the bucket itself.
    outputs.accessPointArn = plan.bucket;
    outputs.accessPointAlias = plan.bucket;
    const state: LocalStack = {
      stack: plan.stack,
      endpoint: emulator.endpoint,
      region: plan.region,
      outputs,
      services: {},
      notEmulated: plan.notEmulated,
    };
    const policy = options.autoscale ? stackPolicy(plan.stack, options.repoRoot) : undefined;
    const desired = (service: ServicePlan) =>
      service.app === PUBLISHER_APP
        ? service.desiredCount
        : autoscaler
          ? autoscaler.desired(service.name)
          : (options.workersPerSize ?? service.desiredCount);
    const writeState = () => {
      for (const service of plan.services) {
        state.services[service.name] = {
          running: processes?.running(service.name).length ?? 0,
          desired: desired(service),
        };
      }
      writeFileSync(`${stackFile}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
      renameSync(`${stackFile}.tmp`, stackFile);
    };
    processes = new AppProcesses(options.repoRoot, join(options.stateDir, "logs"));
    processes.onChange(writeState);
    writeState();

    const launch = (service: ServicePlan, extra = options.environmentFor?.(service) ?? {}) =>
      (processes as AppProcesses).start({
        service: service.name,
        app: service.app,
        environment: {
          ...provisioned.names.translateAll(service.environment),
          AWS_REGION: plan.region,
          AWS_ENDPOINT_URL: emulator.endpoint,
          ...LOCAL_CREDENTIAL_VARIABLES,
          // Many apps share this host's loopback: each serves its heartbeat on a free port (no health checks run here).
          [HEALTH_CHECK.portVariable]: "0",
          ...(service.app === PUBLISHER_APP ? { [LOCAL_STACK_FILE_VARIABLE]: stackFile } : {}),
          ...(service.app === PUBLISHER_APP && options.autoscale
            ? { [TICK_SECONDS_VARIABLE]: String(publisherTickSeconds(options.autoscale.periodSeconds)) }
            : {}),
          ...extra,
        },
      });
    if (options.autoscale && policy) {
      autoscaler = new LocalAutoscaler({
        periodSeconds: options.autoscale.periodSeconds,
        stackFile,
        setup: policy,
        sizes: autoscaledSizes(plan, outputs, processes, launch),
        onDesired: writeState,
        log,
      });
      writeState();
      for (const service of plan.services) if (service.app === PUBLISHER_APP) launch(service);
      autoscaler.start();
    } else for (const service of plan.services) for (let n = 0; n < desired(service); n += 1) launch(service);

    const running = processes;
    return {
      plan,
      emulator,
      provisioned,
      notifier,
      processes: running,
      stackFile,
      state,
      autoscaler,
      startProcess(name, environment) {
        const service = plan.services.find((candidate) => candidate.name === name);
        if (!service) throw new Error(`the stack has no service ${name}`);
        return launch(service, environment);
      },
      async stop(graceMs) {
        await autoscaler?.stop();
        await running.stopAll(graceMs);
        await notifier.flush();
        await emulator.stop();
        rmSync(stackFile, { force: true });
      },
    };
  } catch (error) {
    await autoscaler?.stop();
    await processes?.stopAll(5_000);
    await emulator.stop();
    throw error;
  }
}
