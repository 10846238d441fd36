#!/usr/bin/env node
// Totals the vitest JSON reports every package's test tasks write (turbo restores them on a cache
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
function count(name, report) {
  const result = JSON.parse(readFileSync(report, "utf8"));
  const pending = (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
  console.log(
    `  ${name}: ${result.numPassedTests} passed, ${result.numFailedTests} failed, ${pending} skipped`,
  );
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  skipped += pending;
}

for (const folder of folders.sort()) {
  if (!existsSync(join(root, folder, "package.json"))) continue;
  const manifest = JSON.parse(readFileSync(join(root, folder, "package.json"), "utf8"));
  // A package's unit tests (`test`) and end-to-end suite (`test:e2e`) must have reported; its image
  // suite (`test:images`) when it ran.
  const suites = [
    { report: "vitest.json", required: Boolean(manifest.scripts?.test), name: manifest.name },
    { report: "e2e.json", required: Boolean(manifest.scripts?.["test:e2e"]), name: `${manifest.name} (e2e)` },
    { report: "images.json", required: false, name: `${manifest.name} (images)` },
  ];
  for (const suite of suites) {
    const report = join(root, folder, ".test-results", suite.report);
    if (!existsSync(report)) {
      if (suite.required) {
        console.log(`  ${suite.name}: no test report (did its tests run?)`);
        missing += 1;
      }
      continue;
    }
    count(suite.name, report);
  }
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || missing > 0 || passed === 0 ? 1 : 0;
