import { describe, expect, it } from "vitest";
import { retryDelaySeconds } from "./backoff.js";

describe("retryDelaySeconds", () => {
  const policy = { baseSeconds: 5, maxSeconds: 300 };
  it.each([
    [1, 3, 5],
    [2, 5, 10],
    [3, 10, 20],
    [4, 20, 40],
    [7, 150, 300],
    [50, 150, 300],
  ])("receive %i waits between %i and %i seconds", (count, low, high) => {
    expect(retryDelaySeconds(count, policy, () => 0)).toBe(low);
    expect(retryDelaySeconds(count, policy, () => 1)).toBe(high);
  });

  it("never exceeds the SQS limit", () => {
    expect(retryDelaySeconds(30, { baseSeconds: 60, maxSeconds: 100_000 }, () => 1)).toBe(43200);
  });
});
