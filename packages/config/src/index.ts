export * from "./app-environments.js";
export * from "./environment.js";
export * from "./fargate.js";
export * from "./keys.js";
export * from "./local-stack.js";
export * from "./metrics.js";
export * from "./stack-config.js";
export * from "./stack-outputs.js";
export { parseTopicArn, type TopicArnParts } from "./validators.js";
