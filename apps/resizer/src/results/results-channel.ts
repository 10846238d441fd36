import { withDeadline } from "@icon-fanout/aws-clients";
import type { Logger } from "@icon-fanout/log";
import type { MessageResult } from "../handle-message.js";
import type { ReceivedMessage, ResultPublisher } from "../ports.js";
import { type ResultSource, resultEvents } from "./result-events.js";

/** The results of a message were not published: the message stays, and its next receive publishes them. */
export class ResultsNotPublishedError extends Error {
  override name = "ResultsNotPublishedError";
}

/**
 * Publishes a settled message's results events before the message is deleted (at least once:
 * docs/architecture.md, "Results events"). A failing topic is logged when it starts failing and
 * when it recovers, not once per message.
 */
export class ResultsChannel {
  private failing = false;

  constructor(
    private readonly publisher: ResultPublisher,
    private readonly source: ResultSource,
    private readonly log: Logger,
    private readonly callMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Resolves once every event of the message is accepted by the topic; throws `ResultsNotPublishedError` if not. */
  async publish(message: ReceivedMessage, result: MessageResult): Promise<void> {
    const events = resultEvents(message, result, this.source, this.now());
    if (events.length === 0) return;
    try {
      await withDeadline("SNS Publish (results)", this.callMs, undefined, (signal) =>
        this.publisher.publish(events, signal),
      );
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.log.warn("results not published; their messages are kept until they are", { error });
      }
      throw new ResultsNotPublishedError(`results not published: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (this.failing) {
      this.failing = false;
      this.log.info("results published again");
    }
  }
}
