/**
 * The simulation's clock: a binary heap of timed events. Events at the same time run in the order
 * they were scheduled, so a run never depends on the heap's internal order.
 */
export interface SimEvent {
  readonly at: number;
  readonly run: () => void;
}

interface Entry extends SimEvent {
  readonly seq: number;
}

export class EventQueue {
  private readonly heap: Entry[] = [];
  private seq = 0;
  now = 0;

  schedule(at: number, run: () => void): void {
    if (!(at >= this.now)) throw new RangeError(`cannot schedule at ${at}, before now (${this.now})`);
    this.heap.push({ at, run, seq: this.seq++ });
    this.up(this.heap.length - 1);
  }

  get size(): number {
    return this.heap.length;
  }

  /** Runs events in time order until none is left or the next one lies after `until`. */
  runUntil(until: number): void {
    while (this.heap.length > 0) {
      const top = this.heap[0] as Entry;
      if (top.at > until) break;
      this.pop();
      this.now = top.at;
      top.run();
    }
    this.now = Math.max(this.now, until);
  }

  private pop(): void {
    const last = this.heap.pop() as Entry;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
  }

  private before(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private up(index: number): void {
    const heap = this.heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i] as Entry, heap[parent] as Entry)) break;
      [heap[i], heap[parent]] = [heap[parent] as Entry, heap[i] as Entry];
      i = parent;
    }
  }

  private down(index: number): void {
    const heap = this.heap;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < heap.length && this.before(heap[left] as Entry, heap[best] as Entry)) best = left;
      if (right < heap.length && this.before(heap[right] as Entry, heap[best] as Entry)) best = right;
      if (best === i) return;
      [heap[i], heap[best]] = [heap[best] as Entry, heap[i] as Entry];
      i = best;
    }
  }
}
