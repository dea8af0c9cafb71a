import { InvalidRequestError } from '../../platform/errors/errors.js';
import type { Actor } from '../../tenancy/actor.js';
import { authorizeOn } from '../../tenancy/policies.js';
import { normalizeText } from '../analysis/normalize.js';
import type { SynonymRepository } from './synonym-repository.js';

export const MAX_SYNONYM_GROUPS = 1_000;
export const MAX_GROUP_TERMS = 20;
export const MAX_TERM_CHARS = 100;

export interface SynonymDictionary {
  /** Each group: words and phrases that mean the same, e.g. ["売上", "売上高", "revenue"]. */
  groups: string[][];
}

/** Reads and replaces a company's synonym dictionary (admins write; anyone who may search reads). */
export class SynonymService {
  constructor(private readonly repo: SynonymRepository) {}

  async get(actor: Actor, tenantId: string): Promise<SynonymDictionary> {
    authorizeOn(actor, 'search.synonyms.read', { tenantId, groupId: actor.groupId }, 'Company');
    return { groups: await this.repo.list(tenantId) };
  }

  async replace(actor: Actor, tenantId: string, groups: unknown): Promise<SynonymDictionary> {
    authorizeOn(actor, 'search.synonyms.update', { tenantId, groupId: actor.groupId }, 'Company');
    return { groups: await this.repo.replace(tenantId, validateGroups(groups)) };
  }
}

const invalid = (message: string) => new InvalidRequestError(message, 'invalid_synonyms');

/** Trims members, drops duplicates within a group, and refuses what cannot work as a dictionary. */
export function validateGroups(input: unknown): string[][] {
  if (!Array.isArray(input)) throw invalid('groups must be an array of arrays of words.');
  if (input.length > MAX_SYNONYM_GROUPS)
    throw invalid(`At most ${MAX_SYNONYM_GROUPS} synonym groups per company.`);
  return input.map((group: unknown, g) => {
    if (!Array.isArray(group)) throw invalid(`groups[${g}] must be an array of words.`);
    const seen = new Set<string>();
    const members: string[] = [];
    for (const raw of group as unknown[]) {
      if (typeof raw !== 'string') throw invalid(`groups[${g}] must hold only strings.`);
      // eslint-disable-next-line no-control-regex
      const term = raw.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
      if (term.length > MAX_TERM_CHARS)
        throw invalid(`groups[${g}]: a synonym has at most ${MAX_TERM_CHARS} characters.`);
      const key = normalizeText(term);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      members.push(term);
    }
    if (members.length < 2)
      throw invalid(`groups[${g}] needs at least two different words (a synonym of nothing does nothing).`);
    if (members.length > MAX_GROUP_TERMS)
      throw invalid(`groups[${g}]: at most ${MAX_GROUP_TERMS} words per group.`);
    return members;
  });
}
