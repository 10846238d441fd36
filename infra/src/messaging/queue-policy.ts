import { denyInsecureTransport, type PolicyStatement } from "../iam/policy-document.js";

/** A queue that only the listed SNS topics may send to, over TLS. */
export function topicDeliveryStatements(queueArn: string, topicArns: string[]): PolicyStatement[] {
  return [
    denyInsecureTransport("sqs:*", queueArn),
    {
      Sid: "ListedTopicsDeliver",
      Effect: "Allow",
      Principal: { Service: "sns.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: { ArnEquals: { "aws:SourceArn": topicArns } },
    },
  ];
}

/** Seconds SQS keeps a message at most (14 days); dead-letter queues use it, see `SizeQueue`. */
export const MAX_RETENTION_SECONDS = 14 * 24 * 3600;
