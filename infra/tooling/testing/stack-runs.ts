/**
 * Test support: the real stacks as the suite's one run of each recorded them (see
 * stack-runs-setup.ts), and queries over what a run recorded.
 */
import { inject } from "vitest";
import type { PolicyDocument } from "../../src/iam/policy-document.js";
import type { RecordedResource } from "../synth/mock-engine.js";
import type { ProgramRun, Stack } from "./program-runs.js";

export type { ProgramRun, Stack };

declare module "vitest" {
  export interface ProvidedContext {
    stackRuns: Record<Stack, ProgramRun>;
  }
}

/** What the program registered and exported for a real stack file, unchanged. */
export function stackRun(stack: Stack): ProgramRun {
  return inject("stackRuns")[stack];
}

export function ofType(resources: RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((resource) => resource.type === type);
}

/** The one resource of `type` whose name ends with `nameSuffix`; throws unless exactly one matches. */
export function only(resources: RecordedResource[], type: string, nameSuffix = ""): RecordedResource {
  const matches = ofType(resources, type).filter((resource) => resource.name.endsWith(nameSuffix));
  if (matches.length !== 1)
    throw new Error(`expected one ${type} named *${nameSuffix}, found ${matches.length}`);
  return matches[0] as RecordedResource;
}

/** A resource's `policy` input as a document. */
export function policyOf(resource: RecordedResource): PolicyDocument {
  return JSON.parse(String(resource.inputs.policy)) as PolicyDocument;
}

/**
 * The ARN of the one role whose name ends with `nameSuffix`, with the path the program gives it and
 * its logical name standing in for the physical one (Pulumi adds a random suffix to the latter).
 */
export function roleArn(run: ProgramRun, account: string, nameSuffix: string): string {
  const role = only(run.resources, "aws:iam/role:Role", nameSuffix);
  return `arn:aws:iam::${account}:role${String(role.inputs.path ?? "/")}${String(role.inputs.name ?? role.name)}`;
}

/** A role's trust policy. */
export function trustOf(role: RecordedResource): PolicyDocument {
  return JSON.parse(String(role.inputs.assumeRolePolicy)) as PolicyDocument;
}

export interface ContainerDefinition {
  image: string;
  environment: { name: string; value: string }[];
  stopTimeout: number;
  linuxParameters: { initProcessEnabled: boolean };
  readonlyRootFilesystem: boolean;
  healthCheck?: {
    command: string[];
    interval: number;
    timeout: number;
    retries: number;
    startPeriod: number;
  };
  logConfiguration: { options: Record<string, string> };
}

/** The one container of a task definition. */
export function containerOf(taskDefinition: RecordedResource): ContainerDefinition {
  const [container] = JSON.parse(String(taskDefinition.inputs.containerDefinitions)) as ContainerDefinition[];
  if (!container) throw new Error(`task definition ${taskDefinition.name} has no container`);
  return container;
}
