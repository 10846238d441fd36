/** How one results event reads on a terminal: the outcome's own facts, in a few words. */
import type { ResultEvent } from "@icon-fanout/events";

export function resultDetail(event: ResultEvent): string {
  switch (event.outcome) {
    case "rendered":
      return `${event.width}×${event.height} ${event.outputKey}`;
    case "removed":
      return `${event.outputKey} removed`;
    case "kept-by-twin":
      return `${event.outputKey} belongs to ${event.ownerSourceKey} (twin rule)`;
    case "refused":
    case "gave-up":
      return `${event.reason.code}: ${event.reason.message}`;
  }
}
