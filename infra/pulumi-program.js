/**
 * What `pulumi preview` and `pulumi up` run (package.json "main"): the program compiled to dist/,
 * and only when dist/ (its own and its workspace packages') was built from the sources on disk.
 */
import { assertBuilt } from "../scripts/build-digest.mjs";

export default async function program() {
  assertBuilt(new URL(".", import.meta.url), "The Pulumi program (infra/pulumi-program.js)");
  return { ...(await import("./dist/index.js")) };
}
