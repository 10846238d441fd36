import { paginateListSubscriptionsByTopic, type SNSClient } from "@aws-sdk/client-sns";

/** What SNS lists in place of an ARN for a subscription its endpoint has not confirmed yet. */
const PENDING = "PendingConfirmation";

/**
 * One line per subscription of the alarm topic that delivers nothing yet (an email address must
 * open the link AWS sent it once), or one line saying why the subscriptions could not be read;
 * nothing when every subscription is confirmed. Status goes on either way.
 */
export async function alarmReachNotices(sns: SNSClient, topicArn: string): Promise<string[]> {
  const topic = topicArn.split(":").at(-1) ?? topicArn;
  const notices: string[] = [];
  try {
    for await (const page of paginateListSubscriptionsByTopic({ client: sns }, { TopicArn: topicArn })) {
      for (const { SubscriptionArn, Protocol, Endpoint } of page.Subscriptions ?? []) {
        if (SubscriptionArn !== PENDING) continue;
        notices.push(
          `alarms: the ${Protocol} subscription of ${Endpoint} to ${topic} is ${PENDING}: no alarm reaches it until the link AWS ${Protocol === "email" ? "emailed there" : "sent it"} is opened`,
        );
      }
    }
  } catch (error) {
    const { name, message } = error as Error;
    return [`alarms: cannot tell whom ${topic} reaches (${name}: ${message})`];
  }
  return notices;
}
