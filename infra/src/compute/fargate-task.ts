import { HEALTH_CHECK } from "@icon-fanout/config";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type PolicyStatement, policyJson } from "../iam/policy-document.js";
import type { Network } from "../network/network.js";
import type { Placement } from "../placement.js";
import { ecsExecutionTrust, ecsTasksTrust, executionStatements } from "./task-policies.js";

/** Where and from what an app's service runs: shared by every service component here. */
export interface AppServiceArgs {
  /** Account, region and partition of this stack, for the task role's trust and the log region. */
  placement: Placement;
  cluster: aws.ecs.Cluster;
  /** The subnets and security group the tasks run in. */
  network: Network;
  /** The pushed image, by digest. */
  image: pulumi.Input<string>;
  /** Its ECR repository, which the execution role may pull from. */
  repositoryArn: pulumi.Input<string>;
  /** The CPU architecture the image was built for. */
  architecture: "ARM64" | "X86_64";
  /** Days the service's log group keeps its logs. */
  logRetentionDays: number;
}

export interface FargateTaskArgs
  extends Pick<
    AppServiceArgs,
    "placement" | "image" | "repositoryArn" | "architecture" | "logRetentionDays"
  > {
  /** CPU units, one of Fargate's values (256 is a quarter vCPU). */
  cpu: number;
  /** MiB, one Fargate allows for `cpu`. */
  memory: number;
  /** The container's environment, built from the app's typed contract. */
  environment: pulumi.Input<{ name: string; value: string }[]>;
  /** The task role's permissions, given the task's own log group ARN is not among them. */
  taskStatements: pulumi.Input<PolicyStatement[]>;
  /** The task role's IAM path, for policies that admit roles by path; `/` when absent. */
  taskRolePath?: string;
  /** Seconds ECS waits after SIGTERM before SIGKILL (Fargate allows 120 at most). */
  stopTimeoutSeconds: number;
}

export interface FargateTask {
  taskDefinition: aws.ecs.TaskDefinition;
  taskRole: aws.iam.Role;
  logGroup: aws.cloudwatch.LogGroup;
  /** The roles' permissions, separate resources that a service must wait for (see `createFargateService`). */
  rolePolicies: aws.iam.RolePolicy[];
}

/**
 * The parts every Fargate service here has: a log group with retention, an execution role that
 * can pull the image and write the logs, a task role with the caller's permissions, and a task
 * definition running one container as a non-root user with an init process, a read-only root and
 * the heartbeat health check both apps serve.
 */
export function createFargateTask(name: string, args: FargateTaskArgs, parent: pulumi.Resource): FargateTask {
  const opts = { parent };

  const logGroup = new aws.cloudwatch.LogGroup(
    name,
    { name: `/ecs/${name}`, retentionInDays: args.logRetentionDays },
    opts,
  );
  const executionRole = new aws.iam.Role(
    `${name}-execution`,
    { assumeRolePolicy: policyJson(ecsExecutionTrust()) },
    opts,
  );
  const executionPolicy = new aws.iam.RolePolicy(
    `${name}-execution`,
    {
      role: executionRole.id,
      policy: policyJson(
        pulumi
          .all([args.repositoryArn, logGroup.arn])
          .apply(([repository, logs]) => executionStatements(repository, logs)),
      ),
    },
    opts,
  );
  const taskRole = new aws.iam.Role(
    `${name}-task`,
    {
      assumeRolePolicy: policyJson(ecsTasksTrust(args.placement)),
      ...(args.taskRolePath ? { path: args.taskRolePath } : {}),
    },
    opts,
  );
  const taskPolicy = new aws.iam.RolePolicy(
    `${name}-task`,
    { role: taskRole.id, policy: policyJson(args.taskStatements) },
    opts,
  );
  const rolePolicies = [executionPolicy, taskPolicy];

  const container = pulumi
    .all([args.image, args.environment, logGroup.name])
    .apply(([image, environment, group]) => [
      {
        name,
        image,
        essential: true,
        environment,
        readonlyRootFilesystem: true,
        stopTimeout: args.stopTimeoutSeconds,
        linuxParameters: { initProcessEnabled: true },
        // ECS acts on this check only (never on a Dockerfile HEALTHCHECK): a task whose loop stopped
        // making progress turns unhealthy and its service replaces it (docs/architecture.md, "Health checks").
        healthCheck: {
          command: [...HEALTH_CHECK.command],
          interval: HEALTH_CHECK.intervalSeconds,
          timeout: HEALTH_CHECK.timeoutSeconds,
          retries: HEALTH_CHECK.retries,
          startPeriod: HEALTH_CHECK.startPeriodSeconds,
        },
        logConfiguration: {
          logDriver: "awslogs",
          options: {
            "awslogs-group": group,
            "awslogs-region": args.placement.region,
            "awslogs-stream-prefix": "task",
          },
        },
      },
    ]);
  const taskDefinition = new aws.ecs.TaskDefinition(
    name,
    {
      family: name,
      cpu: String(args.cpu),
      memory: String(args.memory),
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      runtimePlatform: { cpuArchitecture: args.architecture, operatingSystemFamily: "LINUX" },
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      containerDefinitions: pulumi.jsonStringify(container),
    },
    // A task definition names its roles, not their policies: without this, ECS may start tasks
    // that cannot yet pull their image or write their logs.
    { ...opts, dependsOn: rolePolicies },
  );
  return { taskDefinition, taskRole, logGroup, rolePolicies };
}

export interface FargateServiceArgs {
  cluster: aws.ecs.Cluster;
  /** The task and the role policies it needs before any task starts. */
  task: FargateTask;
  network: Network;
  desiredCount: number;
}

/**
 * A Fargate service of one task definition: rolling deployments that keep every running task until
 * its replacement is up (old and new overlap briefly), and roll back when new tasks keep failing.
 * It waits for the task's role policies too, so that a policy changed alongside the service is in
 * place before the service starts new tasks.
 */
export function createFargateService(
  name: string,
  args: FargateServiceArgs,
  opts: pulumi.CustomResourceOptions,
): aws.ecs.Service {
  return new aws.ecs.Service(
    name,
    {
      name,
      cluster: args.cluster.arn,
      taskDefinition: args.task.taskDefinition.arn,
      launchType: "FARGATE",
      desiredCount: args.desiredCount,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      networkConfiguration: {
        subnets: args.network.taskSubnetIds,
        securityGroups: [args.network.securityGroupId],
        assignPublicIp: args.network.assignPublicIp,
      },
      propagateTags: "SERVICE",
    },
    { ...opts, dependsOn: [...args.task.rolePolicies] },
  );
}
