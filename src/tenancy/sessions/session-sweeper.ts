import type { CompanyRepository } from '../companies/company-repository.js';
import type { SessionRepository } from './session-repository.js';

/** Deletes expired sessions company by company (each inside its own RLS scope). */
export async function sweepExpiredSessions(
  companies: CompanyRepository,
  sessions: SessionRepository,
  now = new Date(),
): Promise<number> {
  let removed = 0;
  for (const company of await companies.listAll()) removed += await sessions.deleteExpired(company.id, now);
  return removed;
}
