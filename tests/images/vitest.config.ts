import { defineConfig } from "vitest/config";

// Image builds take minutes on a new machine; each test then starts containers one at a time.
export default defineConfig({
  test: { hookTimeout: 20 * 60_000, testTimeout: 60_000, fileParallelism: false },
});
