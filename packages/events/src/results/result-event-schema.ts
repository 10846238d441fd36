/**
 * The results event validated at run time, and as JSON Schema for consumers in other languages
 * (`result-event.schema.json` at the package root is generated from this; its test keeps them equal).
 * Kept apart from `result-event.ts` so that publishing an event does not load zod.
 */
import { z } from "zod";
import { RESULT_EVENT_SCHEMA_VERSION, type ResultEvent } from "./result-event.js";

const count = z.number().int().min(0);
const text = z.string().min(1);

const base = {
  schemaVersion: z.literal(RESULT_EVENT_SCHEMA_VERSION),
  stack: text,
  size: z.number().int().min(1),
  bucket: text,
  sourceKey: text,
  outputKey: text,
  renderVersion: count,
  uploadId: text.optional(),
  messageId: text,
  receiveCount: z.number().int().min(1),
  time: z.iso.datetime({ offset: true }),
};

const reason = z.strictObject({ code: text, message: text, detail: z.string().optional() });

export const resultEventSchema = z.discriminatedUnion("outcome", [
  z.strictObject({
    ...base,
    outcome: z.literal("rendered"),
    sourceEtag: text,
    sourceVersionId: text.optional(),
    outputEtag: text,
    bytes: count,
    width: z.number().int().min(1),
    height: z.number().int().min(1),
  }),
  z.strictObject({ ...base, outcome: z.literal("removed"), sequencer: text }),
  z.strictObject({
    ...base,
    outcome: z.literal("kept-by-twin"),
    ownerSourceKey: text,
    sourceEtag: text.optional(),
    outputEtag: text.optional(),
  }),
  z.strictObject({ ...base, outcome: z.literal("refused"), sourceEtag: text.optional(), reason }),
  z.strictObject({ ...base, outcome: z.literal("gave-up"), sourceEtag: text.optional(), reason }),
]);

/** The JSON Schema (draft 2020-12) of one results event, the SNS message body. */
export function resultEventJsonSchema(): Record<string, unknown> {
  return {
    title: `icon-fanout results event, schema version ${RESULT_EVENT_SCHEMA_VERSION}`,
    ...z.toJSONSchema(resultEventSchema, { target: "draft-2020-12" }),
  };
}

export type ParsedResultEvent = { kind: "event"; event: ResultEvent } | { kind: "invalid"; reason: string };

/** Parses an SNS message body (or an SQS body with raw delivery) as a results event; never throws. */
export function parseResultEvent(body: string): ParsedResultEvent {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { kind: "invalid", reason: "not JSON" };
  }
  const result = resultEventSchema.safeParse(value);
  if (result.success) return { kind: "event", event: result.data };
  const issue = result.error.issues[0];
  return { kind: "invalid", reason: `${issue?.path.join(".") || "(event)"}: ${issue?.message}` };
}

// The zod schema and the TypeScript type describe one shape: each must accept the other.
type Infer = z.infer<typeof resultEventSchema>;
const _schemaMatchesType: [Infer] extends [ResultEvent]
  ? [ResultEvent] extends [Infer]
    ? true
    : never
  : never = true;
void _schemaMatchesType;
