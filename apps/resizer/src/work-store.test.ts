import { describe, expect, it } from "vitest";
import { FakeS3 } from "./testing/fake-s3.js";
import { storeForWork } from "./work-store.js";

describe("storeForWork", () => {
  it("counts each answered call as progress, and a failed one not", async () => {
    const s3 = new FakeS3();
    s3.seed("b", "icons/a.png", Buffer.from("png"));
    let progress = 0;
    const store = storeForWork(s3, { signal: new AbortController().signal, progress: () => (progress += 1) });
    expect(await store.exists("b", "icons/a.png")).toBe(true);
    expect((await store.get("b", "icons/a.png", 1024))?.body).toEqual(Buffer.from("png"));
    s3.outage = "errors";
    await expect(
      store.put("b", "icons-size-16/a.png", Buffer.from("x"), {
        contentType: "image/png",
        cacheControl: "no-cache",
        metadata: {},
      }),
    ).rejects.toThrow("Service is unavailable");
    expect(progress).toBe(2);
  });

  it("ends a call that gets no answer when the work is given up", async () => {
    const s3 = new FakeS3();
    s3.outage = "black hole";
    const work = new AbortController();
    const store = storeForWork(s3, { signal: work.signal, progress: () => {} });
    const call = store.delete("b", "icons-size-16/a.png");
    work.abort(new Error("no progress for 30 s"));
    await expect(call).rejects.toThrow("no progress for 30 s");
  });
});
