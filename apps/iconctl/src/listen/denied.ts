/** Whether an AWS error says the caller may not do this (SQS and SNS name it differently). */
export function isAccessDenied(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    name === "AccessDenied" ||
    name === "AccessDeniedException" ||
    name === "AuthorizationError" ||
    name === "AuthorizationErrorException" ||
    $metadata?.httpStatusCode === 403
  );
}
