export {
  type CallDeadlines,
  clientSettings,
  DEFAULT_CALL_DEADLINES,
  type DeadlineClientSettings,
  type DeadlineHandlerOptions,
} from "./deadlines.js";
export { DeadlineExceededError, withDeadline } from "./with-deadline.js";
