import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ECSClient } from "@aws-sdk/client-ecs";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { type CallDeadlines, clientSettings, DEFAULT_CALL_DEADLINES } from "@icon-fanout/aws-clients";
import { LOCAL_STACK_CREDENTIALS } from "@icon-fanout/config";
import { SetupError } from "./errors.js";

export interface Clients {
  s3: S3Client;
  sqs: SQSClient;
  sns: SNSClient;
  ecs: ECSClient;
  cloudWatch: CloudWatchClient;
  sts: STSClient;
}

/**
 * S3 calls carry icons up from a designer's machine: an upload of the largest source on a slow
 * link may take a minute, while a silent socket still ends it after the idle deadline.
 */
const UPLOAD_DEADLINES: CallDeadlines = { ...DEFAULT_CALL_DEADLINES, idleMs: 15_000, attemptMs: 120_000 };

/**
 * Clients on the standard credential chain (environment, profile, SSO, instance role) in the
 * stack's region; with `endpoint` (a local stack's emulator), every client talks to it instead,
 * with the local stack's credentials. Every call has deadlines (`@icon-fanout/aws-clients`).
 */
export function createClients(
  region: string,
  profile?: string,
  endpoint?: string,
  deadlines: { s3: CallDeadlines; other: CallDeadlines } = {
    s3: UPLOAD_DEADLINES,
    other: DEFAULT_CALL_DEADLINES,
  },
): Clients {
  const common = {
    region,
    ...(profile ? { profile } : {}),
    ...(endpoint ? { endpoint, credentials: LOCAL_STACK_CREDENTIALS } : {}),
  };
  const settings = { ...common, ...clientSettings(deadlines.other) };
  return {
    s3: new S3Client({
      ...common,
      ...clientSettings(deadlines.s3),
      ...(endpoint ? { forcePathStyle: true } : {}),
    }),
    // Requests go to the resolved endpoint, not each queue URL's host (no per-call warning against an emulator).
    sqs: new SQSClient({ ...settings, useQueueUrlAsEndpoint: false }),
    sns: new SNSClient(settings),
    ecs: new ECSClient(settings),
    cloudWatch: new CloudWatchClient(settings),
    sts: new STSClient(settings),
  };
}

/** Fails early, and says why, when there are no credentials or they are for another account. */
export async function checkAccount(sts: STSClient, stack: string, accountId: string): Promise<void> {
  let account: string | undefined;
  try {
    account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch (error) {
    const name = (error as Error).name;
    if (name === "CredentialsProviderError" || /credential/i.test((error as Error).message)) {
      throw new SetupError(
        "no AWS credentials found: set AWS_PROFILE (or --profile), run 'aws sso login', or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
      );
    }
    throw new SetupError(`cannot verify AWS credentials: ${(error as Error).message}`);
  }
  if (account !== accountId) {
    throw new SetupError(
      `wrong account for stack ${stack}: the credentials are for ${account}, the stack lives in ${accountId}; choose the stack's profile (--profile or AWS_PROFILE)`,
    );
  }
}
