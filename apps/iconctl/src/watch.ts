/**
 * `iconctl watch`: the stack's results as they happen, through a temporary subscription filtered
 * by size and source-key prefix, one row (or one JSON line) per event, until Ctrl-C or SIGTERM.
 */
import { type Context, sizeOutputs } from "./commands.js";
import { EXIT, SetupError } from "./errors.js";
import { watchFilter, watchMatches } from "./listen/filter-policy.js";
import { openStackListener } from "./listen/open-for-stack.js";
import { resultDetail } from "./listen/result-text.js";

export interface WatchOptions {
  size?: number;
  prefix?: string;
  json: boolean;
  signal: AbortSignal;
  /** Where notes go when stdout carries JSON lines (stderr). */
  notes: (line: string) => void;
}

export async function watchCommand(context: Context, options: WatchOptions): Promise<number> {
  if (options.size !== undefined && !sizeOutputs(context, options.size)) return EXIT.usage;
  const { out } = context;
  const note = (line: string) => (options.json ? options.notes(line) : out.write(`${line}\n`));
  const filter = watchFilter(options);
  const opened = await openStackListener(context, {
    ...(filter ? { policy: filter } : {}),
    accept: (event) => watchMatches(event, options),
  });
  if ("unavailable" in opened) throw new SetupError(`${opened.unavailable}: watch needs a subscription`);
  const { listener } = opened;
  try {
    note(
      `watching results of stack ${context.stack}${filter ? ` (filter ${JSON.stringify(filter)})` : ""}; Ctrl-C stops`,
    );
    while (!options.signal.aborted) {
      const { events, invalid } = await listener.receive(options.signal);
      for (const reason of invalid) note(`ignored a message that is not a results event (${reason})`);
      for (const event of events)
        out.write(
          options.json
            ? `${JSON.stringify(event)}\n`
            : `${event.time}  ${event.outcome.padEnd(12)}  ${String(event.size).padStart(4)}  ${event.sourceKey}  ${resultDetail(event)}\n`,
        );
    }
    return EXIT.ok;
  } finally {
    await listener.close();
  }
}
