import { randomUUID } from "node:crypto";
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { buildApp } from "fauxqs";
import { emulatorSqs } from "./provision.js";

type EmulatorApp = ReturnType<typeof buildApp>;

interface MoveTask {
  handle: string;
  sourceArn: string;
  destinationArn: string;
  status: "RUNNING" | "CANCELLING" | "COMPLETED" | "CANCELLED" | "FAILED";
  moved: number;
  toMove: number;
  started: number;
  failureReason?: string;
}

class SqsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Tasks kept per source queue, as ListMessageMoveTasks returns at most the last 10. */
const KEPT_TASKS = 10;

/**
 * SQS message-move tasks (StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask),
 * which fauxqs 2.4.1 does not implement and `iconctl dlq redrive` uses. They follow SQS's
 * documented rules: the source must be some queue's dead-letter queue, one running task per
 * source, and the task moves the messages the source held when it started. Moving is done with
 * the emulator's own SQS API (receive, send, delete), so the queues behave as for any client.
 */
export function addMessageMoveTasks(app: EmulatorApp, endpoint: () => string): void {
  const tasks = new Map<string, MoveTask[]>();
  const clients = new Map<string, SQSClient>();
  const sqsIn = (region: string) => {
    let client = clients.get(region);
    if (!client) {
      client = emulatorSqs(endpoint(), region);
      clients.set(region, client);
    }
    return client;
  };
  const actions: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    StartMessageMoveTask: (input) => start(input, tasks, sqsIn),
    ListMessageMoveTasks: async (input) => list(input, tasks),
    CancelMessageMoveTask: async (input) => cancel(input, tasks),
  };

  app.addHook("preHandler", async (request, reply) => {
    const target = request.headers["x-amz-target"];
    if (request.method !== "POST" || typeof target !== "string" || !target.startsWith("AmazonSQS.")) return;
    const action = actions[target.slice("AmazonSQS.".length)];
    if (!action) return;
    reply.header("content-type", "application/x-amz-json-1.0");
    try {
      return reply.send(await action((request.body ?? {}) as Record<string, unknown>));
    } catch (error) {
      if (!(error instanceof SqsFault)) throw error;
      return reply
        .status(400)
        .header("x-amzn-query-error", `AWS.SimpleQueueService.${error.code};Sender`)
        .send({ __type: `com.amazonaws.sqs#${error.code}`, message: error.message });
    }
  });
}

function parseQueueArn(arn: unknown, field: string): { region: string; name: string; arn: string } {
  const match = typeof arn === "string" ? /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):\d{12}:(.+)$/.exec(arn) : null;
  if (!match) throw new SqsFault("InvalidParameterValue", `${field} must be an SQS queue ARN`);
  return { region: match[1] as string, name: match[2] as string, arn: arn as string };
}

async function queueUrl(sqs: SQSClient, name: string, arn: string): Promise<string> {
  try {
    return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl as string;
  } catch {
    throw new SqsFault(
      "ResourceNotFoundException",
      `The resource that you specified for the SourceArn or DestinationArn parameter doesn't exist: ${arn}`,
    );
  }
}

/** Queues whose redrive policy sends their dead letters to `deadLetterArn`. */
async function queuesRedrivingTo(sqs: SQSClient, deadLetterArn: string): Promise<string[]> {
  const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({ MaxResults: 1000 }));
  const sources: string[] = [];
  for (const url of QueueUrls) {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn", "RedrivePolicy"] }),
    );
    const policy = Attributes.RedrivePolicy
      ? (JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn?: string })
      : {};
    if (policy.deadLetterTargetArn === deadLetterArn && Attributes.QueueArn)
      sources.push(Attributes.QueueArn);
  }
  return sources;
}

async function start(
  input: Record<string, unknown>,
  tasks: Map<string, MoveTask[]>,
  sqsIn: (region: string) => SQSClient,
): Promise<unknown> {
  const source = parseQueueArn(input.SourceArn, "SourceArn");
  const sqs = sqsIn(source.region);
  const sourceUrl = await queueUrl(sqs, source.name, source.arn);
  const redriving = await queuesRedrivingTo(sqs, source.arn);
  if (redriving.length === 0)
    throw new SqsFault(
      "InvalidParameterValue",
      `Source queue must be configured as a Dead Letter Queue: ${source.arn}`,
    );
  let destinationArn = input.DestinationArn;
  if (destinationArn === undefined) {
    if (redriving.length > 1)
      throw new SqsFault(
        "UnsupportedOperation",
        "the local stack needs a DestinationArn when several queues use this dead-letter queue",
      );
    destinationArn = redriving[0];
  }
  const destination = parseQueueArn(destinationArn, "DestinationArn");
  const destinationUrl = await queueUrl(sqs, destination.name, destination.arn);
  const history = tasks.get(source.arn) ?? [];
  if (history.some((task) => task.status === "RUNNING" || task.status === "CANCELLING"))
    throw new SqsFault(
      "UnsupportedOperation",
      `There is already a task running for ${source.arn}. Only one active task is allowed for each source queue at a given time.`,
    );

  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: sourceUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  const task: MoveTask = {
    handle: randomUUID(),
    sourceArn: source.arn,
    destinationArn: destination.arn,
    status: "RUNNING",
    moved: 0,
    toMove: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    started: Date.now(),
  };
  tasks.set(source.arn, [task, ...history].slice(0, KEPT_TASKS));
  void move(task, sqs, sourceUrl, destinationUrl);
  return { TaskHandle: task.handle };
}

/** Moves up to `toMove` messages, ten at a time: send to the destination first, then delete from the source. */
async function move(
  task: MoveTask,
  sqs: SQSClient,
  sourceUrl: string,
  destinationUrl: string,
): Promise<void> {
  try {
    while (task.moved < task.toMove && task.status === "RUNNING") {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: sourceUrl,
          MaxNumberOfMessages: Math.min(10, task.toMove - task.moved),
          VisibilityTimeout: 30,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ["All"],
        }),
      );
      if (Messages.length === 0) break;
      const sent = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: destinationUrl,
          Entries: Messages.map((message, index) => ({
            Id: String(index),
            MessageBody: message.Body ?? "",
            ...(message.MessageAttributes
              ? { MessageAttributes: message.MessageAttributes as Record<string, MessageAttributeValue> }
              : {}),
          })),
        }),
      );
      if (sent.Failed?.length)
        throw new Error(`destination refused ${sent.Failed.length} message(s): ${sent.Failed[0]?.Message}`);
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: sourceUrl,
          Entries: Messages.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
      task.moved += Messages.length;
    }
    task.status = task.status === "CANCELLING" ? "CANCELLED" : "COMPLETED";
  } catch (error) {
    task.status = "FAILED";
    task.failureReason = error instanceof Error ? error.message : String(error);
  }
}

function list(input: Record<string, unknown>, tasks: Map<string, MoveTask[]>): unknown {
  const source = parseQueueArn(input.SourceArn, "SourceArn");
  const max = input.MaxResults === undefined ? 1 : Number(input.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > 10)
    throw new SqsFault("InvalidParameterValue", "MaxResults must be an integer between 1 and 10");
  return {
    Results: (tasks.get(source.arn) ?? []).slice(0, max).map((task) => ({
      ...(task.status === "RUNNING" ? { TaskHandle: task.handle } : {}),
      Status: task.status,
      SourceArn: task.sourceArn,
      DestinationArn: task.destinationArn,
      ApproximateNumberOfMessagesMoved: task.moved,
      ApproximateNumberOfMessagesToMove: task.toMove,
      StartedTimestamp: task.started,
      ...(task.failureReason ? { FailureReason: task.failureReason } : {}),
    })),
  };
}

function cancel(input: Record<string, unknown>, tasks: Map<string, MoveTask[]>): unknown {
  const task = [...tasks.values()].flat().find((candidate) => candidate.handle === input.TaskHandle);
  if (!task)
    throw new SqsFault("ResourceNotFoundException", "the task handle does not name a message move task");
  if (task.status !== "RUNNING")
    throw new SqsFault("UnsupportedOperation", `the task is ${task.status}, not RUNNING`);
  task.status = "CANCELLING";
  return { ApproximateNumberOfMessagesMoved: task.moved };
}
