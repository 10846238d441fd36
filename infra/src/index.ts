/**
 * The Pulumi program: `pulumi up` runs this file (compiled to dist/index.js) for the selected
 * stack. Every value below is a stack output (`pulumi stack output --json`), typed by
 * `StackOutputs` in @icon-fanout/config.
 */

import { stackPrefix } from "@icon-fanout/config";
import * as pulumi from "@pulumi/pulumi";
import { IconFanout } from "./icon-fanout.js";
import { readStackConfig } from "./stack-config.js";

const stack = pulumi.getStack();
const fanout = new IconFanout(stackPrefix(stack), { config: readStackConfig(), stack });

export const {
  bucketName,
  accessPointArn,
  accessPointAlias,
  designerRoleArn,
  operatorRoleArn,
  topicArn,
  undeliveredQueueUrl,
  sizes,
  keyLayout,
  clusterName,
  alarmTopicArn,
  maxSourceBytes,
} = fanout.outputs;
