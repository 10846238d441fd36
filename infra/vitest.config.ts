import { defineConfig } from "vitest/config";

// Most tests run the whole Pulumi program under the mock engine: seconds on a quiet machine,
// several times that on a loaded one.
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});
