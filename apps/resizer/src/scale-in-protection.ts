import type { Logger } from "@icon-fanout/log";

/** The ECS container agent's endpoint, set by ECS in every task; absent off ECS. */
export const ECS_AGENT_URI_VARIABLE = "ECS_AGENT_URI";

const EXPIRES_IN_MINUTES = 10;

/**
 * Keeps ECS from stopping this task during a scale-in while it holds work: protection is switched
 * on when the worker becomes busy (and renewed before it expires), and off once it has been idle
 * for `idleGraceMs`. Failures are logged, never fatal: protection only narrows a window.
 */
export class ScaleInProtection {
  private enabled = false;
  private enabledAt = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly agentUri: string | undefined,
    private readonly log: Logger,
    private readonly idleGraceMs = 5_000,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Off ECS there is no agent to ask; every call is then a no-op. */
  get available(): boolean {
    return this.agentUri !== undefined && this.agentUri !== "";
  }

  /** The worker holds `held` messages now. */
  update(held: number): void {
    if (!this.available) return;
    if (held > 0) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
      const renewDue = Date.now() - this.enabledAt > (EXPIRES_IN_MINUTES * 60_000) / 2;
      if (!this.enabled || renewDue) this.set(true);
    } else if (this.enabled && !this.idleTimer) {
      this.idleTimer = setTimeout(() => this.set(false), this.idleGraceMs);
      this.idleTimer.unref();
    }
  }

  /** Switches protection off (on shutdown) and waits for the agent's answer. */
  async release(): Promise<void> {
    clearTimeout(this.idleTimer);
    if (this.available && this.enabled) this.set(false);
    await this.pending;
  }

  private set(enabled: boolean): void {
    this.enabled = enabled;
    if (enabled) this.enabledAt = Date.now();
    this.pending = this.pending.then(() => this.request(enabled));
  }

  private async request(enabled: boolean): Promise<void> {
    try {
      const response = await this.fetchImpl(`${this.agentUri}/task-protection/v1/state`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(
          enabled
            ? { ProtectionEnabled: true, ExpiresInMinutes: EXPIRES_IN_MINUTES }
            : { ProtectionEnabled: false },
        ),
        signal: AbortSignal.timeout(5_000),
      });
      if (!response.ok) throw new Error(`agent answered ${response.status}`);
      this.log.debug("scale-in protection", { enabled });
    } catch (error) {
      this.log.warn("scale-in protection not updated", { enabled, error });
    }
  }
}
