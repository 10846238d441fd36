import { createHash } from "node:crypto";

/** Where mocked resources live: every ARN, URL and name is derived from these. */
export interface MockAccount {
  accountId: string;
  region: string;
  partition?: string;
}

type Inputs = Record<string, unknown>;

export interface MockState {
  id: string;
  state: Inputs;
}

/**
 * What AWS would answer for a new resource of `type`: its id and computed attributes, from the
 * stack's account and region. Physical names follow Pulumi's auto-naming (logical name plus a
 * suffix), with the suffix derived from the logical name so that runs are repeatable.
 */
export function mockResourceState(
  type: string,
  name: string,
  inputs: Inputs,
  account: MockAccount,
): MockState {
  const { accountId, region } = account;
  const partition = account.partition ?? "aws";
  const auto = (explicit: unknown, maxLength = 64) =>
    typeof explicit === "string" ? explicit : autoName(name, type, maxLength);
  const arn = (service: string, resource: string, withRegion = true, withAccount = true) =>
    `arn:${partition}:${service}:${withRegion ? region : ""}:${withAccount ? accountId : ""}:${resource}`;

  switch (type) {
    case "aws:s3/bucket:Bucket": {
      const bucket = auto(inputs.bucket, 63).toLowerCase();
      return ok(bucket, {
        bucket,
        arn: arn("s3", bucket, false, false),
        bucketDomainName: `${bucket}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
        hostedZoneId: "Z1BKCTXD74EZPE",
        region,
      });
    }
    case "aws:s3/accessPoint:AccessPoint": {
      const apName = auto(inputs.name, 50).toLowerCase();
      return ok(`${accountId}:${apName}`, {
        arn: arn("s3", `accesspoint/${apName}`),
        alias: `${apName}-${hash(apName, 30)}-s3alias`,
        networkOrigin: inputs.vpcConfiguration ? "VPC" : "Internet",
        domainName: `${apName}-${accountId}.s3-accesspoint.${region}.amazonaws.com`,
      });
    }
    case "aws:sns/topic:Topic": {
      const topicName = auto(inputs.name, 256);
      const topicArn = arn("sns", topicName);
      return ok(topicArn, { name: topicName, arn: topicArn, owner: accountId });
    }
    case "aws:sns/topicSubscription:TopicSubscription": {
      const subscriptionArn = `${String(inputs.topic)}:${uuid(`${name}|${String(inputs.endpoint)}`)}`;
      return ok(subscriptionArn, { arn: subscriptionArn, ownerId: accountId, pendingConfirmation: false });
    }
    case "aws:sqs/queue:Queue": {
      const queueName = auto(inputs.name, 80);
      const url = `https://sqs.${region}.amazonaws.com/${accountId}/${queueName}`;
      return ok(url, { name: queueName, arn: arn("sqs", queueName), url });
    }
    case "aws:iam/role:Role": {
      const roleName = auto(inputs.name, 64);
      return ok(roleName, {
        name: roleName,
        arn: `arn:${partition}:iam::${accountId}:role${String(inputs.path ?? "/")}${roleName}`,
        uniqueId: `AROA${hash(roleName, 17).toUpperCase()}`,
      });
    }
    case "aws:iam/policy:Policy": {
      const policyName = auto(inputs.name, 128);
      const policyArn = `arn:${partition}:iam::${accountId}:policy/${policyName}`;
      return ok(policyArn, {
        name: policyName,
        arn: policyArn,
        policyId: `ANPA${hash(policyName, 17).toUpperCase()}`,
      });
    }
    case "aws:ecr/repository:Repository": {
      const repositoryName = auto(inputs.name, 256).toLowerCase();
      return ok(repositoryName, {
        name: repositoryName,
        arn: arn("ecr", `repository/${repositoryName}`),
        registryId: accountId,
        repositoryUrl: `${accountId}.dkr.ecr.${region}.amazonaws.com/${repositoryName}`,
      });
    }
    case "aws:ecs/cluster:Cluster": {
      const clusterName = auto(inputs.name, 255);
      const clusterArn = arn("ecs", `cluster/${clusterName}`);
      return ok(clusterArn, { name: clusterName, arn: clusterArn });
    }
    case "aws:ecs/taskDefinition:TaskDefinition": {
      const family = String(inputs.family ?? name);
      const taskArn = arn("ecs", `task-definition/${family}:1`);
      return ok(family, {
        arn: taskArn,
        arnWithoutRevision: arn("ecs", `task-definition/${family}`),
        revision: 1,
      });
    }
    case "aws:ecs/service:Service": {
      const serviceName = auto(inputs.name, 255);
      const cluster = String(inputs.cluster ?? "default")
        .split("/")
        .pop();
      return ok(arn("ecs", `service/${cluster}/${serviceName}`), { name: serviceName });
    }
    case "aws:cloudwatch/logGroup:LogGroup": {
      const logGroupName = auto(inputs.name, 512);
      return ok(logGroupName, { name: logGroupName, arn: arn("logs", `log-group:${logGroupName}`) });
    }
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
    case "aws:cloudwatch/compositeAlarm:CompositeAlarm": {
      const alarmName = auto(inputs.name ?? inputs.alarmName, 255);
      return ok(alarmName, { name: alarmName, alarmName, arn: arn("cloudwatch", `alarm:${alarmName}`) });
    }
    case "aws:cloudwatch/dashboard:Dashboard": {
      const dashboardName = auto(inputs.dashboardName, 255);
      return ok(dashboardName, {
        dashboardName,
        dashboardArn: `arn:${partition}:cloudwatch::${accountId}:dashboard/${dashboardName}`,
      });
    }
    case "aws:appautoscaling/target:Target":
      return ok(`${String(inputs.serviceNamespace)}/${String(inputs.resourceId)}`, {
        arn: arn("application-autoscaling", `scalable-target/${hash(name, 24)}`),
      });
    case "aws:appautoscaling/policy:Policy": {
      const policyName = auto(inputs.name, 255);
      return ok(policyName, {
        name: policyName,
        arn: arn(
          "autoscaling",
          `scalingPolicy:${uuid(name)}:resource/${String(inputs.resourceId)}:policyName/${policyName}`,
        ),
      });
    }
    case "aws:ec2/vpc:Vpc":
    case "aws:ec2/subnet:Subnet":
    case "aws:ec2/securityGroup:SecurityGroup": {
      const prefix = {
        "aws:ec2/vpc:Vpc": "vpc",
        "aws:ec2/subnet:Subnet": "subnet",
        "aws:ec2/securityGroup:SecurityGroup": "sg",
      }[type];
      const id = `${prefix}-${hash(name, 17)}`;
      return ok(id, {
        arn: arn("ec2", `${prefix === "sg" ? "security-group" : prefix}/${id}`),
        ownerId: accountId,
      });
    }
    default: {
      const id = typeof inputs.name === "string" ? inputs.name : autoName(name, type, 64);
      const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
      return ok(id, type.startsWith("pulumi:providers:") ? {} : { arn: arn(service, id) });
    }
  }
}

function ok(id: string, state: Inputs): MockState {
  return { id, state };
}

function hash(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

function uuid(seed: string): string {
  const h = hash(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Pulumi auto-naming: the logical name and a 7-character suffix, within the service's length limit. */
function autoName(logicalName: string, type: string, maxLength: number): string {
  const suffix = hash(`${type}|${logicalName}`, 7);
  return `${logicalName.slice(0, maxLength - 8)}-${suffix}`;
}
