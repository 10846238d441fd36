import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, type PolicyStatement, policyJson } from "../iam/policy-document.js";
import type { Placement } from "../placement.js";
import { queueSubscriberStatements } from "./upload-topic.js";

export interface ResultsTopicArgs {
  /** Physical topic name, `resultsTopicName(prefix)`, e.g. `icon-fanout-prod-results`. */
  topicName: string;
  placement: Placement;
  /**
   * Accounts whose SQS queues (and nothing else) may subscribe, as on the uploads topic. This
   * account's own consumers need no grant here: their identity policy suffices within an account.
   * @default []
   */
  allowSubscribers?: string[];
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Where the resizers announce what became of each source event (docs/architecture.md, "Results
 * events"): a standard topic, published to by this stack's resizer task roles only (their identity
 * policies grant it; nothing in the topic policy admits a publisher), reached over TLS only, and
 * subscribable by the listed accounts' SQS queues.
 */
export class ResultsTopic extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;
  readonly policy: aws.sns.TopicPolicy;

  constructor(name: string, args: ResultsTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:messaging:ResultsTopic", name, {}, opts);
    for (const account of args.allowSubscribers ?? [])
      if (!ACCOUNT_ID.test(account))
        throw new Error(
          `ResultsTopic ${name}: allowSubscribers must be 12-digit account ids, got "${account}"`,
        );
    const topic = new aws.sns.Topic(name, { name: args.topicName }, { parent: this });
    this.arn = topic.arn;
    this.name = topic.name;
    this.policy = new aws.sns.TopicPolicy(
      `${name}-policy`,
      { arn: topic.arn, policy: policyJson(topic.arn.apply((arn) => resultsTopicStatements(arn, args))) },
      { parent: this },
    );
    this.registerOutputs({ arn: this.arn });
  }
}

/** TLS only; each listed account may subscribe its own SQS queues in this region, as on the uploads topic. */
export function resultsTopicStatements(topicArn: string, args: ResultsTopicArgs): PolicyStatement[] {
  return [
    denyInsecureTransport(["sns:Publish", "sns:Subscribe"], topicArn),
    ...queueSubscriberStatements(topicArn, args.placement, args.allowSubscribers ?? []),
  ];
}
