import { z } from "zod";
import { serviceUrl } from "./validators.js";

const queueUrl = serviceUrl();

/** What `pulumi stack output --json` prints for a stack: the names tools (iconctl, docs) rely on. */
export const stackOutputsSchema = z.object({
  /** The bucket sources are uploaded to and outputs written to. */
  bucketName: z.string(),
  /** Uploads go through this access point (ARN or alias both work as a bucket name in the SDK). */
  accessPointArn: z.string(),
  accessPointAlias: z.string(),
  /** The role designers assume to use the access point, when the stack creates it (`designers.createRole`). */
  designerRoleArn: z.string().optional(),
  /** The role operators assume for `iconctl backfill` and `iconctl status` (see `operators` in the stack config). */
  operatorRoleArn: z.string(),
  /** The topic S3 announces uploads on; other accounts' queues may subscribe. */
  topicArn: z.string(),
  /** Notifications SNS could not deliver to a size's queue. */
  undeliveredQueueUrl: queueUrl,
  /** One entry per icon size, in configured order, with the size's ECS service. */
  sizes: z
    .array(z.object({ size: z.int(), queueUrl, deadLetterQueueUrl: queueUrl, serviceName: z.string() }))
    .min(1),
  /** Where sources are and where each size's outputs go (`keys` of the stack config, defaults applied). */
  keyLayout: z.object({ inputPrefix: z.string(), outputPrefix: z.string() }),
  /** The ECS cluster every service runs in. */
  clusterName: z.string(),
  /** Where alarms are sent. */
  alarmTopicArn: z.string(),
  /** The resizer refuses larger sources (`resizer.maxSourceBytes`); `iconctl upload` refuses them before sending. */
  maxSourceBytes: z.int().positive(),
});

export type StackOutputs = z.output<typeof stackOutputsSchema>;
