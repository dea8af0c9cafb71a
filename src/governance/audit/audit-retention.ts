import type { Sector } from '../../tenancy/roles.js';

/**
 * How long each sector keeps its audit log by default, in days. Chosen from common Japanese
 * practice: finance keeps business records 7 years, government administrative records up to
 * 10, medical records 5 (医師法), schools 5; a general company one year. An operator can prune with
 * another figure per run (`kura audit prune --days N`).
 */
export const AUDIT_RETENTION_DAYS: Record<Sector, number> = {
  general: 365,
  finance: 7 * 365,
  government: 10 * 365,
  medical: 5 * 365,
  education: 5 * 365,
};
