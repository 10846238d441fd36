/** Where this stack deploys; every ARN a policy names before the resource exists is built from it. */
export interface Placement {
  accountId: string;
  region: string;
  partition: string;
}

/** The ARN a role of this name will have (path `/`), for policies written before it exists. */
export function roleArn({ partition, accountId }: Placement, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}
