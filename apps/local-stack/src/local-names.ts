/** What the emulator calls a queue the stack created. */
export interface LocalQueue {
  url: string;
  arn: string;
}

const QUEUE_URL = /https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com\/(\d{12})\/([A-Za-z0-9_-]+(?:\.fifo)?)/g;
const ARN = /arn:aws[a-z-]*:(sqs|sns):([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]+(?:\.fifo)?)/g;

/**
 * Rewrites the stack's identifiers (queue URLs, queue and topic ARNs in its account and region)
 * into the emulator's, wherever they appear: attributes, policies, container environments. Each
 * identifier is matched whole, so `…-size16` never rewrites part of `…-size16-dlq`; identifiers
 * of anything the local stack did not create (another account's topic) are left as they are.
 */
export class LocalNames {
  constructor(
    private readonly stack: { region: string; accountId: string },
    private readonly queues: ReadonlyMap<string, LocalQueue>,
    private readonly topics: ReadonlyMap<string, string>,
  ) {}

  translate(text: string): string {
    const ours = (region: string, account: string) =>
      region === this.stack.region && account === this.stack.accountId;
    return text
      .replace(QUEUE_URL, (whole, region: string, account: string, name: string) =>
        ours(region, account) ? (this.queues.get(name)?.url ?? whole) : whole,
      )
      .replace(ARN, (whole, service: string, region: string, account: string, name: string) => {
        if (!ours(region, account)) return whole;
        return (service === "sqs" ? this.queues.get(name)?.arn : this.topics.get(name)) ?? whole;
      });
  }

  translateAll(values: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, this.translate(value)]));
  }
}
