/**
 * One size's ECS service on Fargate and its resizer tasks. A task starts after a sampled start
 * latency, then works like apps/resizer's worker: up to four long polls of ten messages at once,
 * at most `concurrency` icons in work and 2 × concurrency + 40 held; on stop it returns what it has
 * not started, finishes what it has (releasing whatever is left after drainSeconds, or at ECS's
 * stop timeout if that came first) and exits.
 */
import { RESIZER_STOP_TIMEOUT_SECONDS } from "@icon-fanout/config";
import {
  RECEIVE_ROUND_TRIP_SECONDS,
  SERVICE_TIME_SIGMA,
  TASK_EXIT_SECONDS,
  TASK_START_SIGMA,
} from "./assumptions.js";
import type { EventQueue } from "./event-queue.js";
import type { Random } from "./random.js";
import type { SimSettings } from "./settings.js";
import type { Message, SqsQueue } from "./sqs-queue.js";

const RECEIVE_BATCH = 10;
const MAX_POLLERS = 4;

type TaskState = "starting" | "running" | "stopping" | "stopped";

interface Task {
  state: TaskState;
  readonly launchedAt: number;
  exitedAt: number | undefined;
  readonly buffer: Message[];
  readonly active: Set<Message>;
  held: number;
  blockedPollers: number;
  readonly waits: Set<() => void>;
}

export interface ServiceEvents {
  /** A message's work finished and it was deleted. */
  completed(message: Message, at: number): void;
}

export class FargateService {
  /** Every task of the run, for billing. */
  private readonly tasks: Task[] = [];
  /** Tasks not yet stopped. */
  private alive: Task[] = [];
  private readonly heldLimit: number;
  private readonly pollers: number;
  private readonly serviceMedian: number;

  constructor(
    private readonly clock: EventQueue,
    private readonly queue: SqsQueue,
    private readonly random: Random,
    private readonly settings: SimSettings,
    private readonly events: ServiceEvents,
  ) {
    this.heldLimit = 2 * settings.concurrency + 40;
    this.pollers = Math.min(MAX_POLLERS, Math.ceil(settings.concurrency / RECEIVE_BATCH));
    // Little's law: `concurrency` icons in work at `iconsPerSecondPerTask` gives each its mean time.
    const mean = settings.concurrency / settings.iconsPerSecondPerTask;
    this.serviceMedian = mean / Math.exp((SERVICE_TIME_SIGMA * SERVICE_TIME_SIGMA) / 2);
  }

  /** Tasks running now (ECS's runningCount: draining tasks are still RUNNING). */
  get running(): number {
    let count = 0;
    for (const task of this.alive) if (task.state === "running" || task.state === "stopping") count++;
    return count;
  }

  /** Starts tasks already running at the start of the run. */
  startRunning(count: number): void {
    for (let i = 0; i < count; i++) this.begin(this.newTask(this.clock.now));
  }

  /** ECS converging on a new desired count: starts tasks, or stops the starting ones first, then the least busy. */
  setDesired(desired: number): void {
    const live = this.alive.filter((task) => task.state === "starting" || task.state === "running");
    for (let i = live.length; i < desired; i++) {
      const task = this.newTask(this.clock.now);
      const latency = this.random.logNormal(this.settings.startMedianSeconds, TASK_START_SIGMA);
      this.clock.schedule(this.clock.now + latency, () => {
        if (task.state === "starting") this.begin(task);
      });
    }
    const surplus = live.length - desired;
    if (surplus <= 0) return;
    const order = [...live].sort(
      (a, b) => rank(a) - rank(b) || a.held - b.held || b.launchedAt - a.launchedAt,
    );
    for (const task of order.slice(0, surplus)) this.stop(task);
  }

  /** Task-seconds billed so far (per second, one-minute minimum each), with tasks still alive billed to `until`. */
  billedSeconds(until: number, minimumSeconds: number): number {
    return this.tasks.reduce(
      (sum, task) => sum + Math.max(minimumSeconds, (task.exitedAt ?? until) - task.launchedAt),
      0,
    );
  }

  private newTask(at: number): Task {
    const task: Task = {
      state: "starting",
      launchedAt: at,
      exitedAt: undefined,
      buffer: [],
      active: new Set(),
      held: 0,
      blockedPollers: 0,
      waits: new Set(),
    };
    this.tasks.push(task);
    this.alive.push(task);
    return task;
  }

  private begin(task: Task): void {
    task.state = "running";
    for (let i = 0; i < this.pollers; i++) this.poll(task);
  }

  private poll(task: Task): void {
    if (task.state !== "running") return;
    if (task.held >= this.heldLimit) {
      task.blockedPollers++;
      return;
    }
    if (this.queue.visible === 0) {
      const wake = () => {
        task.waits.delete(wake);
        this.poll(task);
      };
      task.waits.add(wake);
      this.queue.wait(wake);
      return;
    }
    const batch = this.queue.receive(Math.min(RECEIVE_BATCH, this.heldLimit - task.held));
    task.held += batch.length;
    const now = this.clock.now;
    this.clock.schedule(now + RECEIVE_ROUND_TRIP_SECONDS / 2, () => this.deliver(task, batch));
    this.clock.schedule(now + RECEIVE_ROUND_TRIP_SECONDS, () => this.poll(task));
  }

  private deliver(task: Task, batch: Message[]): void {
    if (task.state !== "running") {
      for (const message of batch) this.giveBack(task, message);
      return;
    }
    task.buffer.push(...batch);
    this.work(task);
  }

  private work(task: Task): void {
    while (task.active.size < this.settings.concurrency && task.buffer.length > 0) {
      const message = task.buffer.shift() as Message;
      task.active.add(message);
      const seconds = this.random.logNormal(this.serviceMedian, SERVICE_TIME_SIGMA);
      this.clock.schedule(this.clock.now + seconds, () => this.finish(task, message));
    }
  }

  private finish(task: Task, message: Message): void {
    if (!task.active.delete(message)) return; // released at the drain deadline; another task has it
    task.held--;
    this.queue.delete();
    this.events.completed(message, this.clock.now);
    if (task.state === "stopping") {
      if (task.active.size === 0) this.exit(task);
      return;
    }
    this.work(task);
    if (task.blockedPollers > 0 && task.held < this.heldLimit) {
      task.blockedPollers--;
      this.poll(task);
    }
  }

  private stop(task: Task): void {
    if (task.state === "starting") {
      task.state = "stopped";
      task.exitedAt = this.clock.now;
      this.alive = this.alive.filter((other) => other !== task);
      return;
    }
    task.state = "stopping";
    for (const wake of task.waits) this.queue.cancelWait(wake);
    task.waits.clear();
    for (const message of task.buffer.splice(0)) this.giveBack(task, message);
    if (task.active.size === 0) {
      this.exit(task);
      return;
    }
    // ECS kills the task at its stop timeout; the worker's drain is meant to end before that.
    const deadline = Math.min(this.settings.drainSeconds, RESIZER_STOP_TIMEOUT_SECONDS);
    this.clock.schedule(this.clock.now + deadline, () => {
      if (task.state !== "stopping") return;
      // Unfinished work goes back to the queue (ChangeMessageVisibility 0) before the task exits.
      for (const message of task.active) this.giveBack(task, message);
      task.active.clear();
      this.exit(task);
    });
  }

  private giveBack(task: Task, message: Message): void {
    task.held--;
    this.queue.release(message);
  }

  private exit(task: Task): void {
    task.state = "stopped";
    task.exitedAt = this.clock.now + TASK_EXIT_SECONDS;
    this.alive = this.alive.filter((other) => other !== task);
  }
}

function rank(task: Task): number {
  return task.state === "starting" ? 0 : 1;
}
