/**
 * Physical names of a stack's resources. Fixed rather than generated, so that tools, the other
 * stack (`crossAccount.shadowFrom`) and operators can name them before they exist.
 */

import { PROJECT } from "./stack-config-schema.js";

/**
 * The IAM path of every stack's resizer task roles, the same in every stack and account: a
 * topic-owning stack lets another account's resizers read its sources by this path
 * (`aws:PrincipalArn`), before that account's stack exists and without naming its roles.
 */
export const RESIZER_TASK_ROLE_PATH = `/${PROJECT}/resizer/`;

/** What every name of a stack starts with, e.g. `icon-fanout-prod`; also the ECS cluster's name. */
export function stackPrefix(stack: string): string {
  return `${PROJECT}-${stack}`;
}

export function uploadTopicName(prefix: string): string {
  return `${prefix}-uploads`;
}

/** The bucket's name unless the stack file sets `bucket.name`. */
export function defaultBucketName(prefix: string, accountId: string): string {
  return `${prefix}-${accountId}`;
}

/** The designers' role the stack creates (`designers.createRole`), named in designers' profiles. */
export function designerRoleName(prefix: string): string {
  return `${prefix}-designers`;
}

/** The operators' role (`iconctl backfill` and `status`), named in operators' profiles. */
export function operatorRoleName(prefix: string): string {
  return `${prefix}-operators`;
}

export function sizeQueueName(prefix: string, size: number): string {
  return `${prefix}-size${size}`;
}

export function deadLetterQueueName(queueName: string): string {
  return `${queueName}-dlq`;
}

export function resizerServiceName(prefix: string, size: number): string {
  return `${prefix}-resizer${size}`;
}
