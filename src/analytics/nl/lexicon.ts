import type { SemanticModel } from '../model/semantic-model.js';
import { findTerm, normalizeText } from './normalize.js';

export type Target =
  | { kind: 'measure'; name: string; label: string }
  | { kind: 'metric'; name: string; label: string }
  | { kind: 'dimension'; name: string; label: string }
  | { kind: 'value'; dimension: string; value: string; label: string };

const targetKey = (t: Target) =>
  t.kind === 'value' ? `value:${t.dimension}:${t.value}` : `${t.kind}:${t.name}`;

/**
 * How English speakers write common Japanese place values (地域・都市): a value 関東 is also
 * found as "Kanto". Only values the model has are added.
 */
const ROMAJI: Record<string, string[]> = {
  北海道: ['hokkaido'],
  東北: ['tohoku'],
  関東: ['kanto'],
  中部: ['chubu'],
  北陸: ['hokuriku'],
  東海: ['tokai'],
  関西: ['kansai'],
  近畿: ['kinki'],
  中国: ['chugoku'],
  四国: ['shikoku'],
  九州: ['kyushu'],
  沖縄: ['okinawa'],
  東京: ['tokyo'],
  大阪: ['osaka'],
  名古屋: ['nagoya'],
  福岡: ['fukuoka'],
  札幌: ['sapporo'],
  仙台: ['sendai'],
  横浜: ['yokohama'],
  京都: ['kyoto'],
  神戸: ['kobe'],
  広島: ['hiroshima'],
};

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
        if (normalizeText(v).length >= 2)
          for (const term of [v, ...(ROMAJI[v] ?? [])])
            add(term, { kind: 'value', dimension: d.name, value: v, label: v });
    }
  }

  /**
   * Longest terms first, never overlapping: each match with everything its term can name
   * (more than one target = an ambiguous word the user is asked about).
   */
  scan(text: string): { term: string; at: number; targets: Target[] }[] {
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
    return found.sort((a, b) => a.at - b.at);
  }
}
