export { type DocumentKind, documentsOf, type Statement } from "./documents.js";
export { type Evaluation, evaluatePolicies, type RecordedResource, type Violation } from "./evaluate.js";
export { policies } from "./policies.js";
