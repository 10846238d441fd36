import { list, type Statement } from "./documents.js";

/** Condition keys that tie a service principal to one source: the confused-deputy guard. */
export const SOURCE_KEYS = ["aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths"];

/**
 * Condition keys that narrow a grant to everyone (`*`) down to known callers: the calling
 * principal, its account or organization, the resource a service acts for, or (S3's delegation to
 * access points) the access points of one account, whose own policies then decide who.
 */
export const NARROWING_KEYS = [
  "aws:PrincipalArn",
  "aws:PrincipalAccount",
  "aws:PrincipalOrgID",
  "aws:PrincipalOrgPaths",
  ...SOURCE_KEYS,
  "s3:DataAccessPointAccount",
  "s3:DataAccessPointArn",
];

/** Operators that hold only when the key is present and matches (not `…IfExists`, not negations). */
const MATCHING_OPERATORS =
  /^(?:ForAnyValue:)?(?:StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/;

const WILDCARD = /[*?]/;

/**
 * The part of a key's value that names whose it is, which must hold no wildcard: an account or
 * organization id whole, an organization path's first segment, an ARN's account field (or, in an
 * S3 bucket ARN, which has none, the bucket name: names are global).
 */
function owner(key: string, value: string): string {
  if (key.endsWith("arn")) {
    const fields = value.split(":");
    return fields.length < 6 ? value : fields[4] || fields.slice(5).join(":");
  }
  if (key.endsWith("orgpaths")) return value.split("/")[0] ?? value;
  return value;
}

/** True when every value names a known owner: values of one key are alternatives, so one `*` admits all. */
function namesOwners(key: string, values: unknown): boolean {
  const all = list(values as string | string[]).map(String);
  return all.length > 0 && all.every((value) => !WILDCARD.test(owner(key.toLowerCase(), value)));
}

/**
 * True when one of the statement's conditions (which all must hold) matches one of `keys`
 * against named accounts, organizations or resources only.
 */
export function hasNarrowingCondition(statement: Statement, keys: readonly string[]): boolean {
  const wanted = new Set(keys.map((key) => key.toLowerCase()));
  return Object.entries(statement.Condition ?? {}).some(
    ([operator, pairs]) =>
      MATCHING_OPERATORS.test(operator) &&
      Object.entries(pairs).some(
        ([key, values]) => wanted.has(key.toLowerCase()) && namesOwners(key, values),
      ),
  );
}
