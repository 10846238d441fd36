import { z } from "zod";
import { unreachedAlarms } from "./alarm-destination.js";
import { FARGATE_CPU_VALUES, fargateMemoryFor } from "./fargate.js";
import { DEFAULT_KEY_LAYOUT, outputPrefixFor } from "./keys.js";
import { type IntSetting, RESIZER_SETTINGS, SCALING_SETTINGS } from "./settings.js";
import {
  accountId,
  accountOfPrincipal,
  bucketName,
  iamPrincipalArn,
  iamPrincipalArnPattern,
  intBetween,
  keyPrefix,
  parseTopicArn,
  topicArn,
} from "./validators.js";

/** The Pulumi project name, and so the namespace of every key in the stack files. */
export const PROJECT = "icon-fanout";

export const DEFAULT_ICON_SIZES = [16, 32, 64] as const;

const MAX_ICON_SIZES = 32;

const setting = ({ min, max, default: value }: IntSetting) => intBetween(min, max).default(value);

/** The `icon-fanout:` keys of a stack file, with defaults and the rules between them. */
export const projectSchema = z
  .strictObject({
    /** The account this stack deploys into; `aws:allowedAccountIds` must name exactly this one. */
    accountId: accountId(),
    /**
     * This stack serves real traffic. A production stack is refused unless its alarms reach
     * someone (`alarms.email` or `alarms.topicArn`); `pnpm synth` warns about any other stack
     * without either. Nothing else depends on it. A string too: Pulumi hands a program top-level
     * scalars as text.
     */
    production: z
      .union([z.boolean(), z.enum(["true", "false"]).transform((text) => text === "true")], {
        error: "must be true or false",
      })
      .default(false),
    /** Output sizes in pixels, one queue and one service each. */
    iconSizes: z
      .array(intBetween(1, 4096), { error: "must be a list of integers between 1 and 4096" })
      .min(1, { error: "must list at least one size" })
      .max(MAX_ICON_SIZES, { error: `must list at most ${MAX_ICON_SIZES} sizes` })
      .default([...DEFAULT_ICON_SIZES]),
    keys: z
      .strictObject({
        inputPrefix: keyPrefix().default(DEFAULT_KEY_LAYOUT.inputPrefix),
        outputPrefix: z
          .string({ error: "must be a key prefix" })
          .regex(/^[A-Za-z0-9!_.*'()/-]+$/, {
            error: "must be a key prefix of safe characters, e.g. icons-size-",
          })
          .default(DEFAULT_KEY_LAYOUT.outputPrefix),
      })
      .prefault({}),
    bucket: z
      .strictObject({
        /** A fixed bucket name (other stacks name it in `shadowFrom`); derived from project, stack and account when unset. */
        name: bucketName().optional(),
        /** Keep overwritten and deleted icons for this many days; 0 turns versioning off. */
        noncurrentVersionRetentionDays: intBetween(0, 3650).default(30),
      })
      .prefault({}),
    designers: z
      .strictObject({
        /**
         * Create the designers' role `<project>-<stack>-designers`, which the access point admits, so
         * a stack deploys into an empty account.
         */
        createRole: z.boolean({ error: "must be true or false" }).default(true),
        /**
         * Who may assume the created role: ARN patterns (`*` and `?` allowed) of roles and users in
         * this stack's account, e.g. an IAM Identity Center permission set's roles. Empty: any
         * principal of this account whose own identity policies allow it to assume the role.
         */
        assumableBy: z
          .array(iamPrincipalArnPattern(), { error: "must be a list of IAM role or user ARN patterns" })
          .default([]),
        /** Existing roles, users or accounts the access point also admits; they must exist before the deploy. */
        principalArns: z
          .array(iamPrincipalArn(), { error: "must be a list of IAM principal ARNs" })
          .default([]),
      })
      .prefault({}),
    operators: z
      .strictObject({
        /**
         * Who may assume the operators' role `<project>-<stack>-operators` (backfill and status in
         * iconctl): ARN patterns (`*` and `?` allowed) of roles and users in this stack's account.
         * Empty: any principal of this account whose own identity policies allow it to.
         */
        assumableBy: z
          .array(iamPrincipalArnPattern(), { error: "must be a list of IAM role or user ARN patterns" })
          .default([]),
      })
      .prefault({}),
    resizer: z
      .strictObject({
        cpu: z
          .int({ error: `must be one of the Fargate cpu values ${FARGATE_CPU_VALUES.join(", ")}` })
          .refine((cpu) => FARGATE_CPU_VALUES.includes(cpu), {
            error: `must be one of the Fargate cpu values ${FARGATE_CPU_VALUES.join(", ")}`,
          })
          .default(256),
        memory: intBetween(512, 122880).default(512),
        architecture: z.enum(["ARM64", "X86_64"], { error: "must be ARM64 or X86_64" }).default("ARM64"),
        concurrency: setting(RESIZER_SETTINGS.concurrency),
        visibilityTimeoutSeconds: setting(RESIZER_SETTINGS.visibilityTimeoutSeconds),
        maxReceiveCount: setting(RESIZER_SETTINGS.maxReceiveCount),
        maxSourceBytes: setting(RESIZER_SETTINGS.maxSourceBytes),
        logRetentionDays: z
          .literal(
            [
              1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
              3288, 3653,
            ],
            {
              error: "must be a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30, 60, 90, … 3653 days)",
            },
          )
          .default(30),
      })
      .prefault({}),
    images: z
      .strictObject({
        /**
         * Builds kept per ECR repository, newest first; older ones expire. At least 2: the running
         * build and the one a rollback returns to (docs/architecture.md, "Images and rollbacks").
         */
        keepLast: intBetween(2, 1000).default(10),
      })
      .prefault({}),
    network: z
      .strictObject({
        /**
         * `public`: tasks in public subnets with public IPs behind a security group with no ingress
         * (no NAT cost). `private`: tasks in private subnets, out through one NAT gateway.
         */
        mode: z.enum(["public", "private"], { error: "must be public or private" }).default("public"),
        cidr: z
          .string({ error: "must be an IPv4 CIDR block" })
          .regex(/^10\.\d{1,3}\.0\.0\/16$/, { error: "must be a /16 in 10.0.0.0/8, e.g. 10.42.0.0/16" })
          .default("10.42.0.0/16"),
        /** Availability zones used (suffixes of the region, e.g. a, b). */
        zones: z
          .array(z.string().regex(/^[a-f]$/, { error: "must be zone letters a-f" }), {
            error: "must be a list of zone letters",
          })
          .min(2, { error: "must name at least two zones" })
          .max(6, { error: "must name at most six zones" })
          .default(["a", "b"]),
      })
      .prefault({}),
    scaling: z
      .strictObject({
        minTasks: intBetween(0, 1000).default(1),
        maxTasks: intBetween(1, 1000).default(10),
        targetValue: z
          .number({ error: "must be a number between 50 and 500, exclusive (the scaling metric's range)" })
          .gt(50, { error: "must be a number between 50 and 500, exclusive (the scaling metric's range)" })
          .lt(500, { error: "must be a number between 50 and 500, exclusive (the scaling metric's range)" })
          .default(100),
        scaleInCooldownSeconds: intBetween(0, 3600).default(300),
        scaleOutCooldownSeconds: intBetween(0, 3600).default(60),
        acceptableMessagesPerTask: setting(SCALING_SETTINGS.acceptableMessagesPerTask),
        stopAfterIdleMinutes: setting(SCALING_SETTINGS.stopAfterIdleMinutes),
      })
      .prefault({}),
    crossAccount: z
      .strictObject({
        /** Topic-owning stack: accounts whose SQS queues may subscribe, and which may read the input prefix. */
        allowSubscribers: z
          .array(accountId(), { error: "must be a list of 12-digit account ids" })
          .default([]),
        /**
         * Subscribing stack: the other stack's topic and bucket, for shadow traffic; either named
         * here (`topicArn` and `bucketName`) or read from its outputs (`stackReference`, e.g.
         * `acme/icon-fanout/prod`, which needs read access to that stack's state).
         */
        shadowFrom: z
          .strictObject({
            topicArn: topicArn().optional(),
            bucketName: bucketName().optional(),
            stackReference: z
              .string({ error: "must be a stack name like org/icon-fanout/prod" })
              .regex(/^[\w.-]+(?:\/[\w.-]+){0,2}$/, {
                error: "must be a stack name like org/icon-fanout/prod",
              })
              .optional(),
          })
          .optional(),
      })
      .prefault({}),
    alarms: z
      .strictObject({
        /** Subscribed to the stack's alarm topic by email; the address must confirm once (see `iconctl status`). */
        email: z.email({ error: "must be an email address" }).optional(),
        /** An existing topic (e.g. the on-call tool's) that receives every alarm instead of a topic of the stack's own. */
        topicArn: topicArn().optional(),
        /** Alarm when the oldest message of a size's queue is older than this. */
        oldestMessageAgeSeconds: intBetween(60, 86400).default(600),
      })
      .prefault({}),
  })
  .superRefine(checkConsistency);

export type ProjectConfig = z.output<typeof projectSchema>;

type Context = z.RefinementCtx<z.output<typeof projectSchema>>;

function checkConsistency(config: ProjectConfig, ctx: Context): void {
  const fail = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: "custom", path, message });

  config.iconSizes.forEach((size, index) => {
    if (config.iconSizes.indexOf(size) !== index)
      fail(["iconSizes", index], `${size} is listed more than once`);
  });

  const { inputPrefix } = config.keys;
  const sample = outputPrefixFor(config.iconSizes[0] ?? 1, config.keys);
  if (sample.startsWith(inputPrefix)) {
    fail(
      ["keys", "outputPrefix"],
      `must not start with the input prefix ${JSON.stringify(inputPrefix)}: outputs would trigger new notifications`,
    );
  }
  for (const size of config.iconSizes) {
    if (inputPrefix.startsWith(outputPrefixFor(size, config.keys))) {
      fail(["keys", "inputPrefix"], `must not lie under the output prefix of size ${size}`);
    }
  }

  const { cpu, memory } = config.resizer;
  const allowed = fargateMemoryFor(cpu);
  if (allowed.length > 0 && !allowed.includes(memory)) {
    fail(
      ["resizer", "memory"],
      `${memory} MiB is not a Fargate memory size for cpu ${cpu} (allowed: ${allowed[0]}-${allowed.at(-1)} in steps of ${(allowed[1] ?? 0) - (allowed[0] ?? 0)})`,
    );
  }

  const { minTasks, maxTasks } = config.scaling;
  if (minTasks > maxTasks)
    fail(["scaling", "minTasks"], `must not exceed scaling.maxTasks (${minTasks} > ${maxTasks})`);

  config.crossAccount.allowSubscribers.forEach((account, index) => {
    const path = ["crossAccount", "allowSubscribers", index];
    if (account === config.accountId)
      fail(path, `${account} is this stack's own account; list only other accounts`);
    else if (config.crossAccount.allowSubscribers.indexOf(account) !== index)
      fail(path, `${account} is listed more than once`);
  });

  const shadow = config.crossAccount.shadowFrom;
  if (shadow) {
    const named = shadow.topicArn !== undefined || shadow.bucketName !== undefined;
    if (named && shadow.stackReference !== undefined) {
      fail(
        ["crossAccount", "shadowFrom"],
        "name either topicArn and bucketName, or stackReference, not both",
      );
    } else if (!named && shadow.stackReference === undefined) {
      fail(["crossAccount", "shadowFrom"], "needs topicArn and bucketName, or stackReference");
    } else if (named && (shadow.topicArn === undefined || shadow.bucketName === undefined)) {
      fail(
        ["crossAccount", "shadowFrom", shadow.topicArn === undefined ? "topicArn" : "bucketName"],
        "is required with the other",
      );
    }
    const problem = shadow.topicArn ? shadowTopicProblem(shadow.topicArn, config.accountId) : undefined;
    if (problem) fail(["crossAccount", "shadowFrom", "topicArn"], problem);
    if (shadow.bucketName !== undefined && config.bucket.name === shadow.bucketName) {
      fail(["crossAccount", "shadowFrom", "bucketName"], "must not be this stack's own bucket");
    }
  }

  const unreached = unreachedAlarms(config.alarms, PROJECT);
  if (config.production && unreached)
    fail(["alarms"], `a production stack must send its alarms somewhere: ${unreached}`);

  checkDesigners(config, fail);
  checkAssumableBy(config, "operators", fail);
}

function checkDesigners(
  config: ProjectConfig,
  fail: (path: (string | number)[], message: string) => void,
): void {
  const { createRole, assumableBy, principalArns } = config.designers;
  if (!createRole && principalArns.length === 0) {
    fail(
      ["designers"],
      "name the designers in principalArns, or let the stack create their role (createRole)",
    );
  }
  if (!createRole && assumableBy.length > 0) {
    fail(["designers", "assumableBy"], "applies only to the role the stack creates, and createRole is false");
  }
  checkAssumableBy(config, "designers", fail);
  principalArns.forEach((arn, index) => {
    if (principalArns.indexOf(arn) !== index)
      fail(["designers", "principalArns", index], "is listed more than once");
  });
}

/** The roles a stack creates trust its own account only, so who may assume them must be of that account. */
function checkAssumableBy(
  config: ProjectConfig,
  role: "designers" | "operators",
  fail: (path: (string | number)[], message: string) => void,
): void {
  config[role].assumableBy.forEach((pattern, index) => {
    if (accountOfPrincipal(pattern) !== config.accountId) {
      fail(
        [role, "assumableBy", index],
        `must be a principal of this stack's account ${config.accountId}; the role trusts this account only`,
      );
    }
  });
}

/**
 * Why a topic cannot be a shadow source for a stack in `accountId` and `region`, or undefined.
 * Used on the stack file and again at deploy time on a topic read through a stack reference.
 */
export function shadowTopicProblem(topic: string, accountId?: string, region?: string): string | undefined {
  const parts = parseTopicArn(topic);
  if (!parts) return `${JSON.stringify(topic)} is not an SNS topic ARN`;
  if (accountId !== undefined && parts.accountId === accountId) {
    return `is in this stack's own account ${accountId}; shadow traffic comes from another account's topic`;
  }
  if (region !== undefined && parts.region !== region) {
    return `is in ${parts.region} but this stack deploys to ${region}; shadow from a topic in the same region`;
  }
  return undefined;
}
