import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { type ResultEvent, resultAttributes } from "@icon-fanout/events";
import type { ResultPublisher } from "../ports.js";

/**
 * The stack's results topic through the AWS SDK: one Publish per event, the event as the message
 * body and its filter attributes as message attributes (docs/architecture.md, "Results events").
 */
export class SnsResultPublisher implements ResultPublisher {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(events: readonly ResultEvent[], signal: AbortSignal): Promise<void> {
    await Promise.all(
      events.map((event) =>
        this.sns.send(
          new PublishCommand({
            TopicArn: this.topicArn,
            Message: JSON.stringify(event),
            MessageAttributes: resultAttributes(event),
          }),
          { abortSignal: signal },
        ),
      ),
    );
  }
}
