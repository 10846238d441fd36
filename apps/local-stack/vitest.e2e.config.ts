import { defineConfig } from "vitest/config";

/** The end-to-end suite: each file runs its own local stack; one file at a time on a 2-core machine. */
export default defineConfig({
  test: {
    include: ["src/**/*.e2e.test.ts"],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
