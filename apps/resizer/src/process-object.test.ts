import { resizeIcon } from "@icon-fanout/imaging";
import { describe, expect, it } from "vitest";
import { handleMessage } from "./handle-message.js";
import { s3EventBody } from "./testing/events.js";
import { FakeS3 } from "./testing/fake-s3.js";
import { corpusIcons, jobFor, SOURCE_BUCKET } from "./testing/worker-harness.js";

/** Twins: both keys map to OUTPUT; PREFERRED (the one ending in .png) owns it while it exists. */
const PREFERRED = "icons/logo.svg.png";
const FALLBACK = "icons/logo.svg";
const OUTPUT = "icons-size-16/logo.svg.png";
const contents = corpusIcons()
  .slice(0, 3)
  .map((icon) => icon.bytes);

type Operation = { put: string; content: number } | { remove: string };

/** Applies an upload or removal to the bucket and returns the event S3 would send for it. */
function apply(s3: FakeS3, operation: Operation): string {
  if ("put" in operation) {
    s3.seed(SOURCE_BUCKET, operation.put, contents[operation.content] ?? Buffer.alloc(0));
    return s3EventBody(SOURCE_BUCKET, operation.put, "ObjectCreated:Put");
  }
  s3.remove(SOURCE_BUCKET, operation.remove);
  return s3EventBody(SOURCE_BUCKET, operation.remove, "ObjectRemoved:Delete");
}

const renders = new Map<Uint8Array, Promise<Buffer>>();
function render(source: Uint8Array): Promise<Buffer> {
  const cached = renders.get(source) ?? resizeIcon(source, { size: 16 }).then((icon) => icon.png);
  renders.set(source, cached);
  return cached;
}

/** The invariant: the output is the render of its preferred existing source, or absent. */
async function expectOutputOfPreferredSource(s3: FakeS3, context: string): Promise<void> {
  const source =
    s3.objects.get(`${SOURCE_BUCKET}/${PREFERRED}`) ?? s3.objects.get(`${SOURCE_BUCKET}/${FALLBACK}`);
  const output = s3.objects.get(`${SOURCE_BUCKET}/${OUTPUT}`);
  if (!source) expect(output, context).toBeUndefined();
  else expect(Buffer.from(output?.body ?? []).equals(await render(source.body)), context).toBe(true);
}

async function handleAll(s3: FakeS3, bodies: string[]): Promise<void> {
  for (const body of bodies) {
    expect(await handleMessage(body, s3, jobFor(16))).toMatchObject({ action: "delete" });
  }
}

describe("twin sources x and x.png, which share one output", () => {
  it("deleting logo.svg keeps the output that logo.svg.png owns", async () => {
    const s3 = new FakeS3();
    await handleAll(s3, [
      apply(s3, { put: PREFERRED, content: 0 }),
      apply(s3, { put: FALLBACK, content: 1 }),
    ]);
    await handleAll(s3, [apply(s3, { remove: FALLBACK })]);
    expect(s3.keys(SOURCE_BUCKET, "icons-size-16/")).toEqual([OUTPUT]);
    await expectOutputOfPreferredSource(s3, "after removing the fallback");
  });

  it("deleting logo.svg.png renders the output again from logo.svg", async () => {
    const s3 = new FakeS3();
    await handleAll(s3, [
      apply(s3, { put: FALLBACK, content: 1 }),
      apply(s3, { put: PREFERRED, content: 0 }),
    ]);
    const result = await handleMessage(apply(s3, { remove: PREFERRED }), s3, jobFor(16));
    expect(result).toMatchObject({
      action: "delete",
      objects: [
        {
          outcome: "kept-by-twin",
          key: PREFERRED,
          owner: FALLBACK,
          outputKey: OUTPUT,
          outputEtag: expect.any(String),
        },
      ],
    });
    expect(
      Buffer.from(s3.objects.get(`${SOURCE_BUCKET}/${OUTPUT}`)?.body ?? []).equals(
        await render(contents[1] ?? Buffer.alloc(0)),
      ),
    ).toBe(true);
  });

  it("uploading logo.svg never overwrites the output of logo.svg.png", async () => {
    const s3 = new FakeS3();
    await handleAll(s3, [apply(s3, { put: PREFERRED, content: 0 })]);
    const result = await handleMessage(apply(s3, { put: FALLBACK, content: 1 }), s3, jobFor(16));
    expect(result).toMatchObject({
      action: "delete",
      objects: [{ outcome: "kept-by-twin", key: FALLBACK, owner: PREFERRED, outputKey: OUTPUT }],
    });
    await expectOutputOfPreferredSource(s3, "after uploading the fallback");
  });

  it("removes the output once neither twin exists", async () => {
    const s3 = new FakeS3();
    await handleAll(s3, [
      apply(s3, { put: PREFERRED, content: 0 }),
      apply(s3, { put: FALLBACK, content: 1 }),
    ]);
    await handleAll(s3, [apply(s3, { remove: PREFERRED }), apply(s3, { remove: FALLBACK })]);
    expect(s3.keys(SOURCE_BUCKET, "icons-size-16/")).toEqual([]);
  });

  // Hundreds of orders, each resizing real icons: allow for a machine busy with other work.
  it("holds the invariant for every sequence of up to three changes, whatever order their events arrive in, twice", {
    timeout: 60_000,
  }, async () => {
    const choices: ((step: number) => Operation)[] = [
      (step) => ({ put: PREFERRED, content: step }),
      (step) => ({ put: FALLBACK, content: step }),
      () => ({ remove: PREFERRED }),
      () => ({ remove: FALLBACK }),
    ];
    const sequences: Operation[][] = [[]];
    for (let length = 1; length <= 3; length += 1) {
      for (const prefix of sequences.filter((sequence) => sequence.length === length - 1)) {
        for (const choice of choices) sequences.push([...prefix, choice(length - 1)]);
      }
    }
    let runs = 0;
    for (const sequence of sequences) {
      for (const order of permutations(sequence.map((_, index) => index))) {
        const s3 = new FakeS3();
        const bodies = sequence.map((operation) => apply(s3, operation));
        const context = `${JSON.stringify(sequence)} handled in order ${order.join(",")}`;
        await handleAll(
          s3,
          order.map((index) => bodies[index] ?? ""),
        );
        await expectOutputOfPreferredSource(s3, context);
        await handleAll(s3, bodies); // SQS delivers at least once
        await expectOutputOfPreferredSource(s3, `${context}, then redelivered`);
        runs += 1;
      }
    }
    expect(runs).toBe(1 + 4 + 16 * 2 + 64 * 6);
  });
});

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}
