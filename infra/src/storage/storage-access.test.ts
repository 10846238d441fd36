/**
 * Who may reach the bucket and how, decided by a real IAM engine (@cloud-copilot/iam-simulate) on
 * the exact policies the program renders: designers through their access point and role, and the
 * shadowing dev account reading prod's sources.
 */
import { describe, expect, it } from "vitest";
import {
  type AccessRequest,
  assumeRoleRequest,
  type Decision,
  decide,
  identityPolicy,
} from "../../tooling/testing/access-decisions.js";
import {
  DEV,
  DEV_ROLE,
  OTHER,
  OTHER_ROLE,
  PROD,
  PROD_BUCKET,
  REGION,
} from "../../tooling/testing/accounts.js";
import { only, policyOf, roleArn, stackRun, trustOf } from "../../tooling/testing/stack-runs.js";

const ACCESS_POINT = `arn:aws:s3:${REGION}:${PROD}:accesspoint/icon-fanout-prod-designers`;
const DESIGNER = `arn:aws:iam::${PROD}:role/icon-fanout-prod-designers`;
const SSO_DESIGNER = `arn:aws:iam::${PROD}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_IconDesigners_0123456789abcdef`;
/** The same permission set's role where Identity Center puts no region in the path. */
const SSO_DESIGNER_NO_REGION = `arn:aws:iam::${PROD}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_IconDesigners_0123456789abcdef`;
const INTRUDER = `arn:aws:iam::${PROD}:role/some-other-team`;

const prod = stackRun("prod");
const dev = stackRun("dev");
/** Dev's resizer task role as dev's stack renders it, path included. */
const DEV_RESIZER = roleArn(dev, DEV, "resizer16-task");
const DEV_USER = `arn:aws:iam::${DEV}:user/developer`;
const policies = {
  bucket: policyOf(only(prod.resources, "aws:s3/bucketPolicy:BucketPolicy")),
  accessPoint: policyOf(only(prod.resources, "aws:s3/accessPoint:AccessPoint")),
  designerRole: policyOf(only(prod.resources, "aws:iam/rolePolicy:RolePolicy", "designer-role-access")),
  prodDesignerTrust: trustOf(only(prod.resources, "aws:iam/role:Role", "designer-role")),
  devDesignerTrust: trustOf(only(dev.resources, "aws:iam/role:Role", "designer-role")),
};

/**
 * A request through the designers' access point: S3 checks the access point policy and then the
 * bucket's. The designers' role brings its own grants; other principals bring none.
 */
async function throughAccessPoint(
  principal: string,
  action: string,
  key: string | { prefix: string },
  context: Record<string, string> = {},
): Promise<Decision> {
  const identityPolicies = principal === DESIGNER ? [policies.designerRole] : [];
  const listing = typeof key !== "string";
  const requestContext = { ...(listing ? { "s3:prefix": key.prefix } : {}), ...context };
  const unlistedContext = {
    "s3:DataAccessPointAccount": PROD,
    "s3:DataAccessPointArn": ACCESS_POINT,
    "s3:AccessPointNetworkOrigin": "Internet",
  };
  const viaAccessPoint = await decide({
    principal,
    action,
    resource: listing ? ACCESS_POINT : `${ACCESS_POINT}/object/${key}`,
    resourceAccount: PROD,
    resourcePolicy: policies.accessPoint,
    identityPolicies,
    context: { ...requestContext, ...unlistedContext },
  });
  const viaBucket = await decide({
    principal,
    action,
    resource: listing ? PROD_BUCKET : `${PROD_BUCKET}/${key}`,
    resourceAccount: PROD,
    resourcePolicy: policies.bucket,
    context: requestContext,
    unlistedContext,
  });
  if (viaBucket === "ExplicitlyDenied" || viaAccessPoint === "ExplicitlyDenied") return "ExplicitlyDenied";
  return viaAccessPoint === "Allowed" && viaBucket === "Allowed" ? "Allowed" : "ImplicitlyDenied";
}

const readProdSource = (
  principal: string,
  key: string,
  context = {},
  action = "s3:GetObject",
): AccessRequest => ({
  principal,
  action,
  resource: `${PROD_BUCKET}/${key}`,
  resourceAccount: PROD,
  resourcePolicy: policies.bucket,
  identityPolicies: [identityPolicy([action], [`${PROD_BUCKET}/*`])],
  context,
});

describe("designers through the access point", () => {
  it.each<[string, string, string, string | { prefix: string }, Decision]>([
    ["upload a source", DESIGNER, "s3:PutObject", "icons/new/logo.png", "Allowed"],
    ["read a source", DESIGNER, "s3:GetObject", "icons/logo.png", "Allowed"],
    ["delete a source", DESIGNER, "s3:DeleteObject", "icons/logo.png", "Allowed"],
    ["read a resized output", DESIGNER, "s3:GetObject", "icons-size-16/logo.png", "Allowed"],
    [
      "read an output of a size not configured",
      DESIGNER,
      "s3:GetObject",
      "icons-size-128/logo.png",
      "ImplicitlyDenied",
    ],
    ["overwrite a resized output", DESIGNER, "s3:PutObject", "icons-size-16/logo.png", "ImplicitlyDenied"],
    ["delete a resized output", DESIGNER, "s3:DeleteObject", "icons-size-64/logo.png", "ImplicitlyDenied"],
    ["read outside the icon prefixes", DESIGNER, "s3:GetObject", "private/payroll.csv", "ImplicitlyDenied"],
    ["write outside the icon prefixes", DESIGNER, "s3:PutObject", "index.html", "ImplicitlyDenied"],
    ["list the sources", DESIGNER, "s3:ListBucket", { prefix: "icons/" }, "Allowed"],
    ["list one size's outputs", DESIGNER, "s3:ListBucket", { prefix: "icons-size-32/" }, "Allowed"],
    ["list the whole bucket", DESIGNER, "s3:ListBucket", { prefix: "" }, "ImplicitlyDenied"],
    ["list another prefix", DESIGNER, "s3:ListBucket", { prefix: "private/" }, "ImplicitlyDenied"],
    [
      "another role of the same account uploads",
      INTRUDER,
      "s3:PutObject",
      "icons/logo.png",
      "ImplicitlyDenied",
    ],
    ["another account uploads", OTHER_ROLE, "s3:PutObject", "icons/logo.png", "ImplicitlyDenied"],
  ])("%s (%s %s %o) → %s", async (_name, principal, action, key, expected) => {
    expect(await throughAccessPoint(principal, action, key)).toBe(expected);
  });

  it("a designer without TLS is refused", async () => {
    expect(
      await throughAccessPoint(DESIGNER, "s3:PutObject", "icons/a.png", { "aws:SecureTransport": "false" }),
    ).toBe("ExplicitlyDenied");
  });

  it("an access point of another account gets nothing from the bucket", async () => {
    expect(
      await decide({
        principal: OTHER_ROLE,
        action: "s3:GetObject",
        resource: `${PROD_BUCKET}/icons/logo.png`,
        resourceAccount: PROD,
        resourcePolicy: policies.bucket,
        identityPolicies: [identityPolicy(["s3:GetObject"], ["*"])],
        unlistedContext: { "s3:DataAccessPointAccount": OTHER },
      }),
    ).toBe("ImplicitlyDenied");
  });
});

describe("assuming the designers' role", () => {
  const assume = (
    principal: string,
    trust: "prodDesignerTrust" | "devDesignerTrust",
    granted = true,
  ): AccessRequest => {
    const account = trust === "prodDesignerTrust" ? PROD : DEV;
    const role = `arn:aws:iam::${account}:role/icon-fanout-${account === PROD ? "prod" : "dev"}-designers`;
    return assumeRoleRequest(principal, role, policies[trust], granted);
  };
  it.each<[string, () => AccessRequest, Decision]>([
    [
      "prod: the IconDesigners permission set's role",
      () => assume(SSO_DESIGNER, "prodDesignerTrust"),
      "Allowed",
    ],
    [
      "prod: the IconDesigners permission set's role without a region in its path",
      () => assume(SSO_DESIGNER_NO_REGION, "prodDesignerTrust"),
      "Allowed",
    ],
    [
      "prod: another permission set's role whose name starts like IconDesigners",
      () =>
        assume(
          SSO_DESIGNER_NO_REGION.replace("_IconDesigners_", "_IconDesignersAdmin_"),
          "prodDesignerTrust",
        ),
      "ImplicitlyDenied",
    ],
    [
      "prod: a role named like the permission set's outside Identity Center's path",
      () =>
        assume(
          `arn:aws:iam::${PROD}:role/AWSReservedSSO_IconDesigners_0123456789abcdef`,
          "prodDesignerTrust",
        ),
      "ImplicitlyDenied",
    ],
    ["prod: another role of the account", () => assume(INTRUDER, "prodDesignerTrust"), "ImplicitlyDenied"],
    [
      "prod: a role of another account with the same name pattern",
      () => assume(SSO_DESIGNER.replace(PROD, OTHER), "prodDesignerTrust"),
      "ImplicitlyDenied",
    ],
    [
      "dev: any role of the account its own policy allows",
      () => assume(`arn:aws:iam::${DEV}:role/developer`, "devDesignerTrust"),
      "Allowed",
    ],
    [
      "dev: a role of the account its own policy does not allow",
      () => assume(`arn:aws:iam::${DEV}:role/developer`, "devDesignerTrust", false),
      "ImplicitlyDenied",
    ],
    ["dev: a role of prod's account", () => assume(SSO_DESIGNER, "devDesignerTrust"), "ImplicitlyDenied"],
  ])("%s → %s", async (_name, request, expected) => {
    expect(await decide(request())).toBe(expected);
  });
});

describe("the prod bucket and the shadowing dev account", () => {
  it.each<[string, () => AccessRequest, Decision]>([
    [
      "dev's resizer reads a source for shadow processing",
      () => readProdSource(DEV_RESIZER, "icons/logo.png"),
      "Allowed",
    ],
    [
      "another role of dev reads a source",
      () => readProdSource(DEV_ROLE, "icons/logo.png"),
      "ImplicitlyDenied",
    ],
    ["a user of dev reads a source", () => readProdSource(DEV_USER, "icons/logo.png"), "ImplicitlyDenied"],
    [
      "a dev role whose path only ends like the resizers' reads a source",
      () => readProdSource(`arn:aws:iam::${DEV}:role/team/icon-fanout/resizer/copy`, "icons/logo.png"),
      "ImplicitlyDenied",
    ],
    [
      "a role at the resizers' path in a third account reads a source",
      () => readProdSource(`arn:aws:iam::${OTHER}:role/icon-fanout/resizer/copy`, "icons/logo.png"),
      "ImplicitlyDenied",
    ],
    [
      "dev's resizer reads a prod output",
      () => readProdSource(DEV_RESIZER, "icons-size-16/logo.png"),
      "ImplicitlyDenied",
    ],
    [
      "dev's resizer writes a source",
      () => readProdSource(DEV_RESIZER, "icons/logo.png", {}, "s3:PutObject"),
      "ImplicitlyDenied",
    ],
    [
      "dev's resizer writes an output",
      () => readProdSource(DEV_RESIZER, "icons-size-16/a.png", {}, "s3:PutObject"),
      "ImplicitlyDenied",
    ],
    [
      "dev's resizer deletes a source",
      () => readProdSource(DEV_RESIZER, "icons/logo.png", {}, "s3:DeleteObject"),
      "ImplicitlyDenied",
    ],
    [
      "dev's resizer reads without TLS",
      () => readProdSource(DEV_RESIZER, "icons/logo.png", { "aws:SecureTransport": "false" }),
      "ExplicitlyDenied",
    ],
    [
      "a third account reads a source",
      () => readProdSource(OTHER_ROLE, "icons/logo.png"),
      "ImplicitlyDenied",
    ],
  ])("%s → $2", async (_name, request, expected) => {
    expect(await decide(request())).toBe(expected);
  });
});
