/** Where this stack deploys; every ARN a policy names before the resource exists is built from it. */
export interface Placement {
  accountId: string;
  region: string;
  partition: string;
}

/** The topic's physical name; fixed so that other stacks can name it in `crossAccount.shadowFrom`. */
export function uploadTopicName(stackPrefix: string): string {
  return `${stackPrefix}-uploads`;
}

/** The bucket's physical name unless `bucket.name` is set; fixed for the same reason. */
export function defaultBucketName(stackPrefix: string, accountId: string): string {
  return `${stackPrefix}-${accountId}`;
}

/** The ARN a role of this name will have (path `/`), for policies written before it exists. */
export function roleArn({ partition, accountId }: Placement, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}
