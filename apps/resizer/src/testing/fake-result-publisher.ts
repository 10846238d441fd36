import { setTimeout as sleep } from "node:timers/promises";
import { type ResultAttributes, type ResultEvent, resultAttributes } from "@icon-fanout/events";
import { parseResultEvent } from "@icon-fanout/events/results-schema";
import type { ResultPublisher } from "../ports.js";
import { transientError } from "./faults.js";

/** One message as the topic accepted it: the body SNS would deliver and its attributes. */
export interface PublishedResult {
  event: ResultEvent;
  attributes: ResultAttributes;
}

/**
 * The results topic as the worker sees it: it keeps what it accepts, checked against the schema
 * (an invalid event fails the test that publishes it), and refuses everything while `failing`.
 */
export class FakeResultPublisher implements ResultPublisher {
  readonly published: PublishedResult[] = [];
  /** Publish calls refused while failing. */
  refused = 0;
  /** SNS Publish requests: one per event. */
  requests = 0;
  failing = false;

  /** `latencyMs` is added to every call, as one SNS round trip (the events are published in parallel). */
  constructor(private readonly latencyMs = 0) {}

  async publish(events: readonly ResultEvent[]): Promise<void> {
    this.requests += events.length;
    if (this.latencyMs) await sleep(this.latencyMs);
    if (this.failing) {
      this.refused += 1;
      throw transientError("InternalError");
    }
    for (const event of events) {
      const parsed = parseResultEvent(JSON.stringify(event));
      if (parsed.kind === "invalid") throw new Error(`invalid results event: ${parsed.reason}`);
      this.published.push({ event: parsed.event, attributes: resultAttributes(event) });
    }
  }

  /** The events published so far of one outcome. */
  of(outcome: ResultEvent["outcome"]): ResultEvent[] {
    return this.published.filter(({ event }) => event.outcome === outcome).map(({ event }) => event);
  }
}
