import { z } from "zod";

/** Small zod builders whose failure messages say the rule in words a stack-file author can act on. */

export function intBetween(min: number, max: number) {
  const error = `must be an integer between ${min} and ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

export const ACCOUNT_ID = /^\d{12}$/;

export function accountId() {
  return z
    .string({ error: "must be a 12-digit AWS account id in quotes" })
    .regex(ACCOUNT_ID, { error: "must be a 12-digit AWS account id" });
}

export const SNS_TOPIC_ARN =
  /^arn:aws(?:-[a-z]+)*:sns:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):([A-Za-z0-9_-]{1,256})$/;

export interface TopicArnParts {
  partition: string;
  region: string;
  accountId: string;
  name: string;
}

export function parseTopicArn(arn: string): TopicArnParts | undefined {
  const match = SNS_TOPIC_ARN.exec(arn);
  if (!match) return undefined;
  const [, region = "", account = "", name = ""] = match;
  return { partition: arn.split(":")[1] ?? "aws", region, accountId: account, name };
}

export function topicArn() {
  return z
    .string({ error: "must be an SNS topic ARN" })
    .refine((value) => parseTopicArn(value) !== undefined, {
      error: "must be an SNS topic ARN like arn:aws:sns:<region>:<12-digit account>:<name>",
    });
}

/** S3's naming rules for general purpose buckets. */
export function bucketName() {
  return z
    .string({ error: "must be an S3 bucket name" })
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
      error:
        "must be 3-63 characters of lowercase letters, digits, dots and hyphens, starting and ending alphanumeric",
    })
    .refine((value) => !value.includes(".."), { error: "must not contain two adjacent dots" })
    .refine((value) => !/^\d+\.\d+\.\d+\.\d+$/.test(value), { error: "must not look like an IP address" })
    .refine((value) => !value.startsWith("xn--") && !value.endsWith("-s3alias"), {
      error: "must not use a prefix or suffix S3 reserves (xn--, -s3alias)",
    });
}

const IAM_PRINCIPAL_ARN =
  /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):(?:root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+)$/;

export function iamPrincipalArn() {
  return z.string({ error: "must be an IAM principal ARN" }).regex(IAM_PRINCIPAL_ARN, {
    error: "must be an IAM role, user or account-root ARN like arn:aws:iam::<account>:role/<name>",
  });
}

const IAM_PRINCIPAL_ARN_PATTERN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):(?:user|role)\/[\w+=,.@/*?-]+$/;

/** A role or user ARN in which `*` and `?` may stand for parts of the path and name (ArnLike). */
export function iamPrincipalArnPattern() {
  return z.string({ error: "must be an IAM role or user ARN pattern" }).regex(IAM_PRINCIPAL_ARN_PATTERN, {
    error:
      "must be an IAM role or user ARN, wildcards allowed, like arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Designers_*",
  });
}

/** The account of a principal ARN or ARN pattern. */
export function accountOfPrincipal(arn: string): string | undefined {
  return (IAM_PRINCIPAL_ARN.exec(arn) ?? IAM_PRINCIPAL_ARN_PATTERN.exec(arn))?.[1];
}

/** A key prefix: relative, ends with `/` and holds no empty segment. */
export function keyPrefix() {
  return z.string({ error: "must be a key prefix" }).regex(/^(?:[A-Za-z0-9!_.*'()-]+\/)+$/, {
    error: "must be one or more path segments of safe characters, ending with / (e.g. icons/)",
  });
}

export const LOOPBACK_RULE = "http is allowed only for a loopback host (localhost, 127.0.0.0/8, [::1])";

/** True for a URL whose host is this machine's loopback interface: `localhost`, 127.0.0.0/8 or [::1]. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname;
  return host === "localhost" || host === "[::1]" || /^127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(host);
}

/** An https URL, or an http URL on a loopback host (a local emulator such as the local stack's). */
export function serviceUrl() {
  return z
    .url({ protocol: /^https?$/, error: "must be an https URL" })
    .refine((value) => new URL(value).protocol === "https:" || isLoopbackUrl(new URL(value)), {
      error: `must be an https URL; ${LOOPBACK_RULE}`,
    });
}
