import { LOCAL_STACK_CREDENTIALS } from "@icon-fanout/config";

/** The same credentials as the environment variables a child process's SDK reads. */
export const LOCAL_CREDENTIAL_VARIABLES = {
  AWS_ACCESS_KEY_ID: LOCAL_STACK_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_STACK_CREDENTIALS.secretAccessKey,
} as const;
