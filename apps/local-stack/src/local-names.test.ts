import { describe, expect, it } from "vitest";
import { LocalNames } from "./local-names.js";

const names = new LocalNames(
  { region: "eu-west-1", accountId: "111111111111" },
  new Map([
    [
      "app-size16",
      {
        url: "http://127.0.0.1:9/000000000000/app-size16",
        arn: "arn:aws:sqs:eu-west-1:000000000000:app-size16",
      },
    ],
    [
      "app-size16-dlq",
      {
        url: "http://127.0.0.1:9/000000000000/app-size16-dlq",
        arn: "arn:aws:sqs:eu-west-1:000000000000:app-size16-dlq",
      },
    ],
  ]),
  new Map([["app-uploads", "arn:aws:sns:eu-west-1:000000000000:app-uploads"]]),
);

describe("LocalNames", () => {
  it("rewrites whole queue URLs and ARNs, never part of a longer name", () => {
    const policy = JSON.stringify({
      deadLetterTargetArn: "arn:aws:sqs:eu-west-1:111111111111:app-size16-dlq",
      source: "arn:aws:sqs:eu-west-1:111111111111:app-size16",
      url: "https://sqs.eu-west-1.amazonaws.com/111111111111/app-size16-dlq",
      topic: "arn:aws:sns:eu-west-1:111111111111:app-uploads",
    });
    expect(JSON.parse(names.translate(policy))).toEqual({
      deadLetterTargetArn: "arn:aws:sqs:eu-west-1:000000000000:app-size16-dlq",
      source: "arn:aws:sqs:eu-west-1:000000000000:app-size16",
      url: "http://127.0.0.1:9/000000000000/app-size16-dlq",
      topic: "arn:aws:sns:eu-west-1:000000000000:app-uploads",
    });
  });

  it("leaves other accounts', other regions' and unknown resources as they are", () => {
    const untouched = [
      "arn:aws:sns:eu-west-1:222222222222:app-uploads",
      "arn:aws:sqs:us-east-1:111111111111:app-size16",
      "arn:aws:sqs:eu-west-1:111111111111:other-queue",
      "icon-fanout-prod-222222222222,app-size16",
    ].join(" ");
    expect(names.translate(untouched)).toBe(untouched);
  });
});
