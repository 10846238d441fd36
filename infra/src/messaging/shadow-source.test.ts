import { describe, expect, it } from "vitest";
import { runProgram, stackConfig } from "../../tooling/testing/program-runs.js";
import { ofType, stackRun } from "../../tooling/testing/stack-runs.js";

const PROD_OUTPUTS = {
  topicArn: "arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-uploads",
  bucketName: "icon-fanout-prod-222222222222",
};
const byReference = { shadowFrom: { stackReference: "acme/icon-fanout/prod" } };

describe("shadowing through a stack reference", () => {
  it("subscribes dev's queues to the topic prod's outputs name", async () => {
    const config = stackConfig("dev", { "icon-fanout:crossAccount": byReference });
    const run = await runProgram(config, "dev", { "acme/icon-fanout/prod": PROD_OUTPUTS });
    const reference = ofType(run.resources, "pulumi:pulumi:StackReference");
    expect(reference.map((r) => r.inputs.name)).toEqual(["acme/icon-fanout/prod"]);
    const topics = ofType(run.resources, "aws:sns/topicSubscription:TopicSubscription").map(
      (s) => s.inputs.topic,
    );
    expect(topics.filter((topic) => topic === PROD_OUTPUTS.topicArn)).toHaveLength(3);
  });

  it("gives the same subscriptions as naming the topic in the stack file", async () => {
    const named = stackRun("dev");
    const referenced = await runProgram(
      stackConfig("dev", { "icon-fanout:crossAccount": byReference }),
      "dev",
      {
        "acme/icon-fanout/prod": PROD_OUTPUTS,
      },
    );
    const subscriptions = (run: typeof named) =>
      ofType(run.resources, "aws:sns/topicSubscription:TopicSubscription").map((s) => [s.name, s.inputs]);
    expect(subscriptions(referenced)).toEqual(subscriptions(named));
  });

  it("refuses a referenced topic in the stack's own account at deploy time", async () => {
    const config = stackConfig("dev", { "icon-fanout:crossAccount": byReference });
    const ownTopic = {
      ...PROD_OUTPUTS,
      topicArn: "arn:aws:sns:eu-west-1:111111111111:icon-fanout-dev-uploads",
    };
    await expect(runProgram(config, "dev", { "acme/icon-fanout/prod": ownTopic })).rejects.toThrow(
      "crossAccount.shadowFrom.stackReference acme/icon-fanout/prod: its topicArn is in this stack's own account 111111111111",
    );
  });
});
