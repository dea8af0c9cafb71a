import { beforeAll, describe, expect, it } from 'vitest';
import { loadKuromojiTokenizer } from '../../search/analysis/kuromoji-tokenizer.js';
import { loadEvalSet } from '../../../test/fixtures/pii/load-eval-set.js';
import { evaluateScanner, formatEvaluation, type EvaluationResult } from './evaluate-scanner.js';
import { PiiScanner } from './pii-scanner.js';
import type { PiiType } from './pii-types.js';

let scanner: PiiScanner;
beforeAll(async () => {
  scanner = new PiiScanner({ tokenizer: await loadKuromojiTokenizer() });
});

function recall(result: EvaluationResult, type: PiiType): number {
  return result.perType.find((s) => s.type === type)!.recall;
}

describe('PII evaluation set', () => {
  it('has at least 300 labelled Japanese and English snippets, with negatives', () => {
    const set = loadEvalSet('main');
    expect(set.length).toBeGreaterThanOrEqual(300);
    expect(set.filter((s) => s.lang === 'en').length).toBeGreaterThan(50);
    expect(set.filter((s) => s.entities.length === 0).length).toBeGreaterThan(80);
  });

  it('meets the issue 5 targets on the main set', () => {
    const result = evaluateScanner(loadEvalSet('main'), (t) => scanner.scan(t));
    console.log(`PII evaluation (main set)\n${formatEvaluation(result)}`);
    for (const t of ['my_number', 'corporate_number', 'credit_card'] as const) {
      expect(recall(result, t), t).toBeGreaterThanOrEqual(0.98);
    }
    for (const t of ['phone', 'email', 'postal_code'] as const)
      expect(recall(result, t), t).toBeGreaterThanOrEqual(0.95);
    for (const t of ['person_name', 'address'] as const)
      expect(recall(result, t), t).toBeGreaterThanOrEqual(0.85);
    expect(result.overallPrecision).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps its precision on the held-out snippets the detectors were never tuned on', () => {
    const result = evaluateScanner(loadEvalSet('holdout'), (t) => scanner.scan(t));
    console.log(`PII evaluation (held-out set)\n${formatEvaluation(result)}`);
    for (const t of ['my_number', 'corporate_number', 'credit_card'] as const)
      expect(recall(result, t), t).toBe(1);
    expect(result.overallPrecision).toBeGreaterThanOrEqual(0.95);
    expect(result.overallRecall).toBeGreaterThanOrEqual(0.9);
  });
});
