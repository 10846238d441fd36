/** The accounts of the real stack files with their buckets and topics, and principals the tests act as. */
export const PROD = "222222222222";
export const DEV = "111111111111";
/** An account that is neither stack's. */
export const OTHER = "333333333333";
export const REGION = "eu-west-1";

export const PROD_BUCKET = `arn:aws:s3:::icon-fanout-prod-${PROD}`;
export const DEV_BUCKET = `arn:aws:s3:::icon-fanout-dev-${DEV}`;
export const PROD_TOPIC = `arn:aws:sns:${REGION}:${PROD}:icon-fanout-prod-uploads`;
export const DEV_TOPIC = `arn:aws:sns:${REGION}:${DEV}:icon-fanout-dev-uploads`;

/** A role of the dev account that is not one of its resizers' task roles (those have a path). */
export const DEV_ROLE = `arn:aws:iam::${DEV}:role/icon-fanout-dev-resizer`;
/** A role of an account that is neither stack's. */
export const OTHER_ROLE = `arn:aws:iam::${OTHER}:role/attacker`;
