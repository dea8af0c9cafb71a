import type { AuditGovernance } from './audit-module.js';
import type { ModelGovernance } from './model-governance-module.js';

export { createAuditGovernance } from './audit-module.js';
export { createModelGovernance } from './model-governance-module.js';

/**
 * The governance pillar as the composition root hands it on: where model calls may go (residency,
 * egress guard, providers, gateway, metering) and what is accountable (audit log, quotas). The two
 * halves are built apart because tenancy sits between them: a new company gets its residency
 * preset, and auditing reads users and sessions.
 */
export type Governance = ModelGovernance & AuditGovernance;
