import type { ObjectStore } from "./ports.js";
import type { WorkContext } from "./worker-options.js";

/**
 * The store as one message's work uses it: every call carries the work's signal (so work the
 * worker gives up stops at once) and counts as progress when it answers.
 */
export function storeForWork(store: ObjectStore, work: WorkContext): ObjectStore {
  const step = async <T>(call: Promise<T>): Promise<T> => {
    const answer = await call;
    work.progress();
    return answer;
  };
  return {
    get: (bucket, key, maxBytes) => step(store.get(bucket, key, maxBytes, work.signal)),
    exists: (bucket, key) => step(store.exists(bucket, key, work.signal)),
    put: (bucket, key, body, options) => step(store.put(bucket, key, body, options, work.signal)),
    delete: (bucket, key) => step(store.delete(bucket, key, work.signal)),
  };
}
