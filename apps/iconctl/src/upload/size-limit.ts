import type { Refusal, UploadItem } from "./plan.js";

/**
 * Splits off the files the stack's resizer would refuse as too large (`resizer.maxSourceBytes`),
 * so they are refused before anything is sent instead of reaching every size's dead-letter queue.
 */
export function refuseOversized(
  items: UploadItem[],
  maxSourceBytes: number,
): { items: UploadItem[]; refused: Refusal[] } {
  const kept: UploadItem[] = [];
  const refused: Refusal[] = [];
  for (const item of items) {
    if (item.body.length <= maxSourceBytes) kept.push(item);
    else
      refused.push({
        input: item.input,
        reason: `${item.body.length} bytes, over the stack's source limit of ${maxSourceBytes} bytes (resizer.maxSourceBytes)`,
      });
  }
  return { items: kept, refused };
}
