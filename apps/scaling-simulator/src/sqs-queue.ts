/**
 * One size's SQS queue as the simulation needs it: visible messages in arrival order, messages in
 * flight (received, not deleted), and long polls waiting for a message. The visibility timeout
 * never passes here: the worker extends it while it holds a message and makes a message visible
 * again when it lets go of it unfinished (on stop, after drainSeconds, which ends before ECS's
 * stop timeout), which is what `release` models.
 */
export interface Message {
  /** Index of the upload in the workload. */
  readonly id: number;
  /** Receives so far (SQS's ApproximateReceiveCount). */
  receives: number;
}

export class SqsQueue {
  private readonly visibleMessages: Message[] = [];
  private head = 0;
  private inFlightCount = 0;
  private readonly waiting: Array<() => void> = [];

  get visible(): number {
    return this.visibleMessages.length - this.head;
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  send(message: Message): void {
    this.visibleMessages.push(message);
    this.wakeOne();
  }

  /** Up to `max` visible messages, now in flight. */
  receive(max: number): Message[] {
    const count = Math.min(max, this.visible);
    const batch = this.visibleMessages.slice(this.head, this.head + count);
    this.head += count;
    if (this.head > 4096 && this.head * 2 > this.visibleMessages.length) {
      this.visibleMessages.splice(0, this.head);
      this.head = 0;
    }
    this.inFlightCount += count;
    for (const message of batch) message.receives++;
    return batch;
  }

  delete(): void {
    this.inFlightCount--;
  }

  /** A message whose visibility timeout passed without a delete: visible again. */
  release(message: Message): void {
    this.inFlightCount--;
    this.send(message);
  }

  /** A long poll: `wake` runs once, when a message arrives (the poll then receives). */
  wait(wake: () => void): void {
    this.waiting.push(wake);
  }

  cancelWait(wake: () => void): void {
    const index = this.waiting.indexOf(wake);
    if (index >= 0) this.waiting.splice(index, 1);
  }

  private wakeOne(): void {
    const wake = this.waiting.shift();
    if (wake) wake();
  }
}
