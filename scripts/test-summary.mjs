#!/usr/bin/env node
// Totals the vitest JSON reports every package's `test` task writes (turbo restores them on a cache
// hit), so CI prints one closing line: "tests: N passed, N failed".
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const folders = [
  "infra",
  ...["apps", "packages", "tests"].flatMap((group) =>
    existsSync(join(root, group)) ? readdirSync(join(root, group)).map((name) => join(group, name)) : [],
  ),
];

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = 0;
for (const folder of folders.sort()) {
  if (!existsSync(join(root, folder, "package.json"))) continue;
  const manifest = JSON.parse(readFileSync(join(root, folder, "package.json"), "utf8"));
  // A package's unit tests (`test`) must have reported; its other suites (`test:images`) when they ran.
  const report = join(root, folder, ".test-results", "vitest.json");
  if (!manifest.scripts?.test && !existsSync(report)) continue;
  if (!existsSync(report)) {
    console.log(`  ${manifest.name}: no test report (did its tests run?)`);
    missing += 1;
    continue;
  }
  const result = JSON.parse(readFileSync(report, "utf8"));
  const pending = (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
  console.log(
    `  ${manifest.name}: ${result.numPassedTests} passed, ${result.numFailedTests} failed, ${pending} skipped`,
  );
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  skipped += pending;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || missing > 0 || passed === 0 ? 1 : 0;
