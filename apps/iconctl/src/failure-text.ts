/**
 * One line that says why an AWS call failed. When the answer was not an AWS error at all (a proxy,
 * an emulator's own limit), the SDK's message is two lines about XML parsing; the HTTP status is
 * what the user can act on, so that is what is said.
 */
export function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error).replace(/\s+/g, " ").trim();
  const { $metadata, $response } = error as {
    $metadata?: { httpStatusCode?: number };
    $response?: { statusCode?: number; reason?: string };
  };
  const status = $metadata?.httpStatusCode ?? $response?.statusCode;
  // Every error the SDK read from an AWS answer carries $fault; one it could not read does not.
  if (status !== undefined && !("$fault" in error)) {
    const reason = $response?.reason ? ` ${$response.reason}` : "";
    return `the endpoint answered HTTP ${status}${reason}, which is not an AWS error response`;
  }
  return `${error.name}: ${error.message.replace(/\s+/g, " ").trim()}`;
}
