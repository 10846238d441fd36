// What Pulumi loads for `--policy-pack packages/policy-pack` (package.json "main"; its runner
// `require`s it): the pack compiled to dist/, and only when dist/ was built from the sources on disk.
const { assertBuilt } = require("../../scripts/build-digest.mjs");

assertBuilt(__dirname, "The policy pack (packages/policy-pack)");
require("./dist/pack.js");
