/** SNS filter policies (MessageAttributes scope) on the results topic's attributes, for one listener. */
import { RESULT_ATTRIBUTES, type ResultEvent } from "@icon-fanout/events";

export type FilterPolicy = Record<string, (string | number | Record<string, unknown>)[]>;

/** Only the events of one `iconctl upload` run: its sources carry this id in their metadata. */
export function uploadFilter(uploadId: string): FilterPolicy {
  return { [RESULT_ATTRIBUTES.uploadId]: [uploadId] };
}

/**
 * `iconctl watch`'s options as a policy: the size as a number, the source key by prefix; keys are
 * ANDed by SNS. No option: undefined, i.e. every event of the topic.
 */
export function watchFilter(options: { size?: number; prefix?: string }): FilterPolicy | undefined {
  const policy: FilterPolicy = {};
  if (options.size !== undefined) policy[RESULT_ATTRIBUTES.size] = [{ numeric: ["=", options.size] }];
  if (options.prefix) policy[RESULT_ATTRIBUTES.sourceKey] = [{ prefix: options.prefix }];
  return Object.keys(policy).length > 0 ? policy : undefined;
}

/** `watchFilter`'s choice made on an event (see `ListenerOptions.accept`). */
export function watchMatches(event: ResultEvent, options: { size?: number; prefix?: string }): boolean {
  return (
    (options.size === undefined || event.size === options.size) &&
    (!options.prefix || event.sourceKey.startsWith(options.prefix))
  );
}
