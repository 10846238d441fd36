import { describe, expect, it } from "vitest";
import { lifecyclePolicyDocument } from "./provider-components.js";

const expire = { type: "expire" };

describe("the lifecycle policy awsx writes for an ECR repository", () => {
  it("expires untagged images but the newest when no rules are given", () => {
    expect(lifecyclePolicyDocument(undefined)).toEqual({
      rules: [
        {
          rulePriority: 1,
          description: "remove untagged images",
          selection: { tagStatus: "untagged", countType: "imageCountMoreThan", countNumber: 1 },
          action: expire,
        },
      ],
    });
  });

  it("gives the rule for any image the last priority, whatever its place in the list", () => {
    const document = lifecyclePolicyDocument([
      { tagStatus: "any", maximumNumberOfImages: 10 },
      { tagStatus: "tagged", tagPrefixList: ["release-"], maximumAgeLimit: 90 },
      { tagStatus: "untagged", maximumAgeLimit: 7 },
    ]);
    expect(document).toEqual({
      rules: [
        {
          rulePriority: 1,
          selection: {
            tagStatus: "tagged",
            tagPrefixList: ["release-"],
            countType: "sinceImagePushed",
            countNumber: 90,
            countUnit: "days",
          },
          action: expire,
        },
        {
          rulePriority: 2,
          selection: {
            tagStatus: "untagged",
            countType: "sinceImagePushed",
            countNumber: 7,
            countUnit: "days",
          },
          action: expire,
        },
        {
          rulePriority: 3,
          selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 10 },
          action: expire,
        },
      ],
    });
  });

  it.each([
    [
      "two rules for any image",
      [
        { tagStatus: "any" as const, maximumNumberOfImages: 1 },
        { tagStatus: "any" as const, maximumAgeLimit: 1 },
      ],
      'At most one [selection: "any"] rule can be provided.',
    ],
    [
      "a tagged rule without prefixes",
      [{ tagStatus: "tagged" as const, maximumNumberOfImages: 1 }],
      "tagPrefixList cannot be empty.",
    ],
    [
      "a rule without a count or an age",
      [{ tagStatus: "untagged" as const }],
      "Either [maximumNumberOfImages] or [maximumAgeLimit] must be provided with a rule.",
    ],
  ])("refuses %s, as awsx does", (_what, rules, message) => {
    expect(() => lifecyclePolicyDocument(rules)).toThrow(message);
  });
});
