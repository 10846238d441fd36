import { listenerQueuePrefix, resultsTopicName } from "@icon-fanout/config";
import type { Placement } from "../placement.js";
import type { PolicyStatement } from "./policy-document.js";

/**
 * What `iconctl upload --wait` and `iconctl watch` need to listen to the stack's results topic
 * (docs/architecture.md, "Listening to results"): queues named under the listener prefix in this
 * account and region only, subscribed to this stack's results topic only, with the sqs protocol.
 * ARNs are built from names, so the roles do not wait for the topic to exist.
 */
export function listenerStatements(placement: Placement, stackPrefix: string): PolicyStatement[] {
  const { partition, region, accountId } = placement;
  const topicArn = `arn:${partition}:sns:${region}:${accountId}:${resultsTopicName(stackPrefix)}`;
  const queues = `arn:${partition}:sqs:${region}:${accountId}:${listenerQueuePrefix(stackPrefix)}*`;
  return [
    {
      // SetQueueAttributes: the queue policy that admits the topic; tags carry the creation time.
      Sid: "OwnListenerQueues",
      Effect: "Allow",
      Action: [
        "sqs:CreateQueue",
        "sqs:SetQueueAttributes",
        "sqs:TagQueue",
        "sqs:ListQueueTags",
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:DeleteQueue",
      ],
      Resource: queues,
    },
    // ListQueues has no resource type: AWS requires "*"; it reveals queue URLs, nothing in them.
    { Sid: "FindLeftoverListenerQueues", Effect: "Allow", Action: "sqs:ListQueues", Resource: "*" },
    {
      Sid: "SubscribeListenerQueuesToResults",
      Effect: "Allow",
      Action: "sns:Subscribe",
      Resource: topicArn,
      Condition: { StringEquals: { "sns:Protocol": "sqs" }, StringLike: { "sns:Endpoint": queues } },
    },
    {
      // Unsubscribe has no endpoint condition key: this is the results topic's subscriptions, any of them.
      Sid: "RemoveListenerSubscriptions",
      Effect: "Allow",
      Action: ["sns:Unsubscribe", "sns:ListSubscriptionsByTopic"],
      Resource: topicArn,
    },
  ];
}
