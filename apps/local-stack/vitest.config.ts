import { defineConfig } from "vitest/config";

/** Unit tests only; the end-to-end suite (`*.e2e.test.ts`, real processes) runs as `test:e2e`. */
export default defineConfig({
  test: { include: ["src/**/*.test.ts"], exclude: ["src/**/*.e2e.test.ts"] },
});
