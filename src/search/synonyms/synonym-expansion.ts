import { latinTerm } from '../analysis/latin.js';
import { normalizeText } from '../analysis/normalize.js';
import { splitRuns } from '../analysis/scripts.js';
import { compileSynonyms, type SynonymGroups, type SynonymTable } from '../analysis/synonyms.js';

interface CompiledDictionary {
  table: SynonymTable;
  /** Canonical token → the group's members. */
  members: Map<string, readonly string[]>;
}

/**
 * Query-time synonym expansion: when a query names a member of a group (売上), the analysed terms of
 * every member (売上高, revenue) are searched too. Applied to the query only, so a company edits its
 * dictionary without re-indexing a document. Matching is on normalised text (NFKC, width and case
 * folded) with word boundaries for Latin phrases, and by stem for single English words
 * (revenues → revenue).
 */
export class SynonymExpander {
  private readonly cache = new Map<string, CompiledDictionary>();

  expand(groups: SynonymGroups, query: string, analyze: (text: string) => string[]): string[] {
    if (groups.length === 0) return [];
    const dictionary = this.compiled(groups);
    const { table } = dictionary;
    const hit = new Set<string>();
    const normalized = normalizeText(query);
    if (table.pattern !== null) {
      for (const m of normalized.matchAll(table.pattern)) {
        const canonical = table.phrases.get(m[0]);
        if (canonical !== undefined) hit.add(canonical);
      }
    }
    for (const run of splitRuns(normalized)) {
      if (run.kind !== 'word') continue;
      const term = latinTerm(run.text);
      const canonical = term === null ? undefined : table.stems.get(term);
      if (canonical !== undefined) hit.add(canonical);
    }
    const out: string[] = [];
    for (const canonical of hit)
      for (const member of dictionary.members.get(canonical) ?? []) out.push(...analyze(member));
    return out;
  }

  private compiled(groups: SynonymGroups): CompiledDictionary {
    const key = JSON.stringify(groups);
    let dictionary = this.cache.get(key);
    if (!dictionary) {
      const table = compileSynonyms(groups);
      const members = new Map<string, readonly string[]>();
      for (const group of groups) {
        const head = group.map(normalizeText).find((p) => p !== '');
        if (head === undefined) continue;
        const canonical = head.replace(/ /g, '');
        members.set(canonical, [...(members.get(canonical) ?? []), ...group]);
      }
      dictionary = { table, members };
      // A few companies' dictionaries at a time; an edited dictionary is a new key.
      if (this.cache.size >= 256) this.cache.clear();
      this.cache.set(key, dictionary);
    }
    return dictionary;
  }
}
