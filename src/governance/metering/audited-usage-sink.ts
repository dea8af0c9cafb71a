import type { UsageEvent, UsageSink } from '../../platform/llm/model-gateway.js';
import type { Logger } from '../../platform/log/logger.js';
import type { AuditLog } from '../audit/audit-log.js';

/**
 * Meters every model call and writes it to the company's audit log too: `model.egress` when bytes
 * left (or the provider failed), `model.refused` when a policy stopped the call before anything
 * left. Like the HTTP audit, a failed audit write is logged and does not undo the call's outcome.
 */
export class AuditedUsageSink implements UsageSink {
  constructor(
    private readonly usage: UsageSink,
    /** The audit log, once the composition root has built it. */
    private readonly audit: () => AuditLog | undefined,
    private readonly logger?: Logger,
  ) {}

  async record(event: UsageEvent): Promise<void> {
    await this.usage.record(event);
    const log = this.audit();
    if (!log) return;
    try {
      await log.record(event.tenantId, {
        action: event.outcome === 'refused' ? 'model.refused' : 'model.egress',
        outcome: event.outcome === 'ok' ? 'success' : event.outcome === 'refused' ? 'denied' : 'failure',
        actor: { kind: 'system', id: null },
        target: { type: 'provider', id: event.provider },
        payload: {
          provider: event.provider,
          model: event.model,
          region: event.region,
          operation: event.operation,
          purpose: event.purpose,
          tokensIn: event.tokensIn,
          tokensOut: event.tokensOut,
          errorCode: event.errorCode,
          callerId: event.userId,
        },
      });
    } catch (error) {
      this.logger?.error({ err: error, tenantId: event.tenantId }, 'audit: model call not recorded');
    }
  }
}
