import type { SemanticModel } from '../model/semantic-model.js';
import { findTerm, normalizeText } from './normalize.js';

export type Target =
  | { kind: 'measure'; name: string; label: string }
  | { kind: 'metric'; name: string; label: string }
  | { kind: 'dimension'; name: string; label: string }
  | { kind: 'value'; dimension: string; value: string; label: string };

const targetKey = (t: Target) =>
  t.kind === 'value' ? `value:${t.dimension}:${t.value}` : `${t.kind}:${t.name}`;

/** Every term of the model (names, labels, synonyms, sampled values) → what it names. */
export class Lexicon {
  private readonly terms = new Map<string, Target[]>();

  constructor(model: SemanticModel) {
    const add = (term: string, target: Target) => {
      const t = normalizeText(term);
      if (t.length < 1) return;
      const list = this.terms.get(t) ?? [];
      if (!list.some((x) => targetKey(x) === targetKey(target))) list.push(target);
      this.terms.set(t, list);
    };
    const names = (name: string, label: string, synonyms: string[], target: Target) => {
      for (const term of [name, name.replace(/_/g, ' '), label, ...synonyms]) {
        add(term, target);
        if (/^[a-z ]+$/iu.test(term) && !term.endsWith('s')) add(`${term}s`, target);
      }
    };
    for (const m of model.measures)
      names(m.name, m.label, m.synonyms, { kind: 'measure', name: m.name, label: m.label });
    for (const m of model.metrics)
      names(m.name, m.label, m.synonyms, { kind: 'metric', name: m.name, label: m.label });
    for (const d of model.dimensions) {
      names(d.name, d.label, d.synonyms, { kind: 'dimension', name: d.name, label: d.label });
      for (const v of d.values)
        if (normalizeText(v).length >= 2) add(v, { kind: 'value', dimension: d.name, value: v, label: v });
    }
  }

  /**
   * Longest terms first, never overlapping: each match with everything its term can name
   * (more than one target = an ambiguous word the user is asked about).
   */
  scan(text: string): { term: string; targets: Target[] }[] {
    const sorted = [...this.terms.keys()].sort((a, b) => b.length - a.length);
    const taken = new Array<boolean>(text.length).fill(false);
    const found: { at: number; term: string; targets: Target[] }[] = [];
    for (const term of sorted) {
      let from = 0;
      for (;;) {
        const at = findTerm(text, term, from);
        if (at < 0) break;
        from = at + 1;
        if (taken.slice(at, at + term.length).some(Boolean)) continue;
        for (let i = at; i < at + term.length; i++) taken[i] = true;
        found.push({ at, term, targets: this.terms.get(term)! });
      }
    }
    return found.sort((a, b) => a.at - b.at).map(({ term, targets }) => ({ term, targets }));
  }
}
