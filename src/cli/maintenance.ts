import { sweepExpiredSessions } from '../tenancy/sessions/session-sweeper.js';
import type { Runtime } from './runtime.js';

/**
 * Periodic housekeeping that `kura worker` runs (and `kura serve` in embedded mode): for now the
 * expired-session sweep; the job queue of the ingestion pillar joins it here.
 */
export function startMaintenance(rt: Runtime, intervalMs = 10 * 60_000): () => void {
  const run = async () => {
    try {
      const removed = await sweepExpiredSessions(rt.tenancy.repos.companies, rt.tenancy.repos.sessions);
      if (removed > 0) rt.logger.info({ removed }, 'expired sessions removed');
    } catch (error) {
      rt.logger.error({ err: error }, 'maintenance failed');
    }
  };
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
