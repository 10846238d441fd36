import { describe, expect, it } from "vitest";
import { only, stackRun } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");

describe("the upload topic", () => {
  it("announces creations and removals under the input prefix, after the topic policy exists", () => {
    const notification = only(prod.resources, "aws:s3/bucketNotification:BucketNotification");
    expect(notification.inputs.topics).toEqual([
      {
        id: "icon-uploads",
        topicArn: "arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-uploads",
        events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
        filterPrefix: "icons/",
      },
    ]);
    expect(notification.dependencies).toContain(
      only(prod.resources, "aws:sns/topicPolicy:TopicPolicy", "uploads-policy").urn,
    );
  });
});
