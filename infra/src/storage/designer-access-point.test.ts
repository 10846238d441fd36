import { describe, expect, it } from "vitest";
import { runProgram, stackConfig } from "../../tooling/testing/program-runs.js";
import { ofType, only, policyOf, stackRun } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");
const dev = stackRun("dev");

describe("the designers' access point", () => {
  it.each([
    ["prod", "222222222222"],
    ["dev", "111111111111"],
  ] as const)("%s creates its designers' role, which its access point admits", (stack, account) => {
    const run = stack === "prod" ? prod : dev;
    const role = only(run.resources, "aws:iam/role:Role", "designer-role");
    expect(role.inputs).toMatchObject({ name: `icon-fanout-${stack}-designers`, maxSessionDuration: 3600 });
    const roleArn = `arn:aws:iam::${account}:role/icon-fanout-${stack}-designers`;
    expect(run.outputs.designerRoleArn).toBe(roleArn);
    const accessPoint = policyOf(only(run.resources, "aws:s3/accessPoint:AccessPoint"));
    const admitted = accessPoint.Statement.map(
      (statement) => statement.Condition?.ArnEquals?.["aws:PrincipalArn"],
    );
    expect(admitted).toEqual([roleArn, roleArn, roleArn]);
  });

  it("admits existing principals by name, and creates no role when told not to", async () => {
    const existing = "arn:aws:iam::222222222222:role/brand-team";
    const run = await runProgram(
      stackConfig("prod", { "icon-fanout:designers": { createRole: false, principalArns: [existing] } }),
      "prod",
    );
    expect(ofType(run.resources, "aws:iam/role:Role").map((role) => role.name)).not.toContain(
      "icon-fanout-prod-designer-role",
    );
    const accessPoint = policyOf(only(run.resources, "aws:s3/accessPoint:AccessPoint"));
    expect(accessPoint.Statement.map((statement) => statement.Principal)).toEqual([
      { AWS: [existing] },
      { AWS: [existing] },
      { AWS: [existing] },
    ]);
    expect(run.outputs.designerRoleArn).toBeUndefined();
  });
});
