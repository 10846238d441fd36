/**
 * A role IAM Identity Center creates for a permission set: `AWSReservedSSO_<set>_<id>` under
 * `/aws-reserved/sso.amazonaws.com/`, in some set-ups followed by a region segment and in others
 * not. Groups: the ARN up to that path, the region segment if any, the role name.
 */
const PERMISSION_SET_ROLE =
  /^(arn:[^:]+:iam::\d{12}:role\/aws-reserved\/sso\.amazonaws\.com\/)([^/]+\/)?(AWSReservedSSO_[^/]+)$/;

/**
 * `patterns` with each Identity Center role pattern also in its other shape: one written with a
 * region segment (a region or `*`) also matches the role without one, and one written without
 * also matches it under any region. Other patterns stay as they are; the order is kept and
 * duplicates dropped.
 */
export function withIdentityCenterShapes(patterns: string[]): string[] {
  const shapes = patterns.flatMap((pattern) => {
    const match = PERMISSION_SET_ROLE.exec(pattern);
    if (!match) return [pattern];
    const [, path, region, role] = match;
    return [pattern, region ? `${path}${role}` : `${path}*/${role}`];
  });
  return [...new Set(shapes)];
}
