/** Where a stack's alarms go, as its `alarms` settings say; read by the schema and by `pnpm synth`. */
export interface AlarmDestination {
  email?: string;
  topicArn?: string;
}

/**
 * Why the alarms reach nobody, or undefined: without `email` or `topicArn` they go to a topic of
 * the stack's own that nothing subscribes to. Keys are given as the stack file names them.
 */
export function unreachedAlarms(alarms: AlarmDestination, namespace: string): string | undefined {
  if (alarms.email !== undefined || alarms.topicArn !== undefined) return undefined;
  return `set ${namespace}:alarms.email or ${namespace}:alarms.topicArn (neither is set, so the alarms reach nobody)`;
}
