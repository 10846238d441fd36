import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, readFileSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** One running app process: a task of an ECS service, run locally. */
export interface AppProcess {
  service: string;
  /** `icon-fanout-dev-resizer16#2` */
  id: string;
  pid: number;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface LaunchSpec {
  service: string;
  /** The app under apps/ whose package `main` is run. */
  app: string;
  environment: Record<string, string>;
}

/** Variables a child keeps from this process: enough to run node, nothing that names AWS credentials or profiles. */
const INHERITED = ["PATH", "HOME", "TMPDIR", "LANG", "TZ", "SYSTEMROOT"];

/**
 * Starts app processes the way ECS starts tasks (the app's entry with the task definition's
 * environment), writes each one's output to `<logDir>/<id>.log`, tells listeners about every
 * line and every start or exit, and stops them as ECS does: SIGTERM, then SIGKILL after a grace period.
 */
export class AppProcesses {
  private readonly live = new Map<string, { process: AppProcess; child: ChildProcess }>();
  private readonly counters = new Map<string, number>();
  private readonly files = new Map<string, string[]>();
  private readonly lineListeners: ((id: string, line: string) => void)[] = [];
  private readonly changeListeners: (() => void)[] = [];

  constructor(
    private readonly repoRoot: string,
    private readonly logDir: string,
  ) {}

  onLine(listener: (id: string, line: string) => void): void {
    this.lineListeners.push(listener);
  }

  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  running(service: string): AppProcess[] {
    return [...this.live.values()].filter((entry) => entry.process.service === service).map((e) => e.process);
  }

  /** The log file of every process the service has had, running or not. */
  logFiles(service: string): string[] {
    return this.files.get(service) ?? [];
  }

  all(): AppProcess[] {
    return [...this.live.values()].map((entry) => entry.process);
  }

  start(spec: LaunchSpec): AppProcess {
    const appDir = join(this.repoRoot, "apps", spec.app);
    const { main } = JSON.parse(readFileSync(join(appDir, "package.json"), "utf8")) as { main?: string };
    if (!main) throw new Error(`apps/${spec.app}/package.json has no "main" to run`);
    const number = (this.counters.get(spec.service) ?? 0) + 1;
    this.counters.set(spec.service, number);
    const id = `${spec.service}#${number}`;
    const inherited = Object.fromEntries(
      INHERITED.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
    );
    const child = spawn(process.execPath, [join(appDir, main)], {
      cwd: appDir,
      env: { ...inherited, ...spec.environment },
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.pid === undefined) throw new Error(`could not start ${id}`);
    const logFile = join(this.logDir, `${id.replace("#", "-")}.log`);
    this.files.set(spec.service, [...this.logFiles(spec.service), logFile]);
    const log = createWriteStream(logFile, { flags: "a" });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once("exit", (code, signal) => {
        this.live.delete(id);
        this.changed();
        // Let the output streams drain before the log closes.
        child.once("close", () => {
          log.end();
          resolve({ code, signal });
        });
      });
    });
    this.forward(id, child, log);
    const started: AppProcess = { service: spec.service, id, pid: child.pid, exited };
    this.live.set(id, { process: started, child });
    this.changed();
    return started;
  }

  /** Sends `signal` and waits for the exit; after `graceMs` the process is killed. */
  async stop(target: AppProcess, signal: NodeJS.Signals = "SIGTERM", graceMs = 120_000) {
    const entry = this.live.get(target.id);
    if (entry) entry.child.kill(signal);
    const timer = setTimeout(() => this.live.get(target.id)?.child.kill("SIGKILL"), graceMs);
    try {
      return await target.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  async stopAll(graceMs = 120_000): Promise<void> {
    await Promise.all(this.all().map((process) => this.stop(process, "SIGTERM", graceMs)));
  }

  private forward(id: string, child: ChildProcess, log: WriteStream): void {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on("line", (line) => {
        log.write(`${line}\n`);
        for (const listener of this.lineListeners) listener(id, line);
      });
    }
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }
}
