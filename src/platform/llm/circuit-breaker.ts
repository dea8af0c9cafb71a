import { ProviderUnavailableError } from './gateway-errors.js';

export interface BreakerOptions {
  /** Consecutive failed attempts that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses before letting one trial call through. */
  cooldownMs: number;
  now?: () => number;
}

interface State {
  failures: number;
  openedAt: number | null;
  trialInFlight: boolean;
}

/**
 * One circuit per provider: after `failureThreshold` consecutive failures (429, 5xx, network,
 * timeout) calls are refused at once for `cooldownMs`, then a single trial call decides whether the
 * circuit closes again. Keeps a failing provider from holding every user's request for its timeout.
 */
export class CircuitBreakers {
  private readonly states = new Map<string, State>();
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Throws ProviderUnavailableError while the provider's circuit is open. */
  admit(provider: string): void {
    const state = this.states.get(provider);
    if (!state || state.openedAt === null) return;
    const waited = this.now() - state.openedAt;
    if (waited < this.options.cooldownMs || state.trialInFlight)
      throw new ProviderUnavailableError(provider, Math.max(1, this.options.cooldownMs - waited));
    state.trialInFlight = true;
  }

  succeeded(provider: string): void {
    this.states.delete(provider);
  }

  failed(provider: string): void {
    const state = this.states.get(provider) ?? { failures: 0, openedAt: null, trialInFlight: false };
    state.failures += 1;
    state.trialInFlight = false;
    if (state.failures >= this.options.failureThreshold) state.openedAt = this.now();
    this.states.set(provider, state);
  }

  isOpen(provider: string): boolean {
    return (this.states.get(provider)?.openedAt ?? null) !== null;
  }
}
