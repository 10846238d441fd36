/**
 * Vitest global setup: runs the program once for each real stack file, before any test file, so
 * that the files reading those stacks unchanged share one run (`stackRun`) instead of each their own.
 */
import type { TestProject } from "vitest/node";
import { runProgram, stackConfig } from "./program-runs.js";

export default async function runStacks(project: TestProject): Promise<void> {
  project.provide("stackRuns", {
    prod: await runProgram(stackConfig("prod"), "prod"),
    dev: await runProgram(stackConfig("dev"), "dev"),
  });
}
