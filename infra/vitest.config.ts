import { defineConfig } from "vitest/config";

// Tests run the whole Pulumi program under the mock engine: seconds on a quiet machine, several
// times that on a loaded one. The real stacks run once for the whole suite (stack-runs-setup.ts).
export default defineConfig({
  test: {
    globalSetup: ["tooling/testing/stack-runs-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
