import { defineConfig } from "vitest/config";

// Whole-workload runs take a second or two each on a loaded 2-core machine.
export default defineConfig({ test: { testTimeout: 60_000 } });
