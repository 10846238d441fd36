import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, policyJson } from "../iam/policy-document.js";
import type { Placement } from "../placement.js";

export interface AlarmTopicArgs {
  placement: Placement;
  /** Subscribed by email when set (the address must confirm once). */
  email?: string;
  /** An existing topic to use instead of creating one. */
  existingTopicArn?: string;
}

/** Where alarms go: this stack's topic (CloudWatch of this account may publish), or an existing one. */
export class AlarmTopic extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:monitoring:AlarmTopic", name, {}, opts);
    if (args.existingTopicArn) {
      this.arn = pulumi.output(args.existingTopicArn);
    } else {
      const { accountId, region, partition } = args.placement;
      const topic = new aws.sns.Topic(name, {}, { parent: this });
      new aws.sns.TopicPolicy(
        `${name}-policy`,
        {
          arn: topic.arn,
          policy: policyJson(
            topic.arn.apply((arn) => [
              {
                Sid: "AlarmsOfThisAccountPublish",
                Effect: "Allow" as const,
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: "sns:Publish",
                Resource: arn,
                Condition: {
                  StringEquals: { "aws:SourceAccount": accountId },
                  ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*` },
                },
              },
              denyInsecureTransport(["sns:Publish", "sns:Subscribe"], arn),
            ]),
          ),
        },
        { parent: this },
      );
      if (args.email) {
        new aws.sns.TopicSubscription(
          `${name}-email`,
          { topic: topic.arn, protocol: "email", endpoint: args.email },
          { parent: this },
        );
      }
      this.arn = topic.arn;
    }
    this.registerOutputs({ arn: this.arn });
  }
}
