import { describe, expect, it } from "vitest";
import { withIdentityCenterShapes } from "./identity-center.js";

const SSO = "arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com";

describe("withIdentityCenterShapes", () => {
  it.each([
    ["any region", `${SSO}/*/AWSReservedSSO_IconDesigners_*`, `${SSO}/AWSReservedSSO_IconDesigners_*`],
    [
      "one region",
      `${SSO}/eu-west-1/AWSReservedSSO_IconDesigners_*`,
      `${SSO}/AWSReservedSSO_IconDesigners_*`,
    ],
    ["no region", `${SSO}/AWSReservedSSO_IconDesigners_*`, `${SSO}/*/AWSReservedSSO_IconDesigners_*`],
  ])("adds the other shape to a permission set's role pattern with %s", (_shape, pattern, other) => {
    expect(withIdentityCenterShapes([pattern])).toEqual([pattern, other]);
  });

  it("leaves other patterns alone, keeps the order and drops duplicates", () => {
    const team = "arn:aws:iam::222222222222:role/designers/*";
    const user = "arn:aws:iam::222222222222:user/ada";
    expect(
      withIdentityCenterShapes([
        team,
        `${SSO}/*/AWSReservedSSO_Designers_*`,
        user,
        `${SSO}/AWSReservedSSO_Designers_*`,
      ]),
    ).toEqual([team, `${SSO}/*/AWSReservedSSO_Designers_*`, `${SSO}/AWSReservedSSO_Designers_*`, user]);
  });

  it("does not treat a look-alike path outside Identity Center's as one", () => {
    const lookAlike = "arn:aws:iam::222222222222:role/team/aws-reserved/sso.amazonaws.com/AWSReservedSSO_X_*";
    expect(withIdentityCenterShapes([lookAlike])).toEqual([lookAlike]);
  });
});
