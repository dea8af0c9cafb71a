import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractAnswer, MAX_ANSWER_CHARS } from '../../src/assistant/engine/extract-answer.js';
import { ExtractiveEngine } from '../../src/assistant/engine/extractive-engine.js';
import type { AnswerEvent } from '../../src/assistant/engine/answer-engine.js';
import { splitSentences } from '../../src/assistant/engine/sentences.js';
import { languageOf } from '../../src/assistant/language.js';
import { MAX_QUESTION_CHARS, titleFrom, validateQuestion } from '../../src/assistant/question.js';
import type { Passage } from '../../src/search/search-service.js';

const passage = (text: string, i = 0, score = 1): Passage => ({
  documentId: `00000000-0000-4000-8000-00000000000${i}`,
  ordinal: 0,
  title: `doc ${i}`,
  uri: `test://${i}`,
  anchor: { heading: '第1章' },
  text,
  score,
  bm25: score,
});

const HISTORY = passage(
  '東京タワーは東京都港区にある電波塔である。1958年に竣工した。高さは333メートルで、当時は世界一高い自立式鉄塔だった。設計者は内藤多仲である。',
);

describe('splitSentences', () => {
  it('splits Japanese and English sentences and lines', () => {
    expect(splitSentences('雨だ。晴れ？ Yes! It costs 3.5 dollars. OK\n見出し').map((s) => s.text)).toEqual([
      '雨だ。',
      '晴れ？',
      'Yes!',
      'It costs 3.5 dollars.',
      'OK',
      '見出し',
    ]);
  });

  it('returns pieces of the text, in order, at their offsets (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('あ', '。', '！', 'a', '.', ' ', '\n', '?', '3') }),
        (text) => {
          let last = -1;
          for (const s of splitSentences(text)) {
            expect(text.slice(s.start, s.start + s.text.length)).toBe(s.text);
            expect(s.text.trim()).toBe(s.text);
            expect(s.text).not.toBe('');
            expect(s.start).toBeGreaterThan(last);
            last = s.start;
          }
        },
      ),
    );
  });
});

describe('extractAnswer', () => {
  it('picks the sentence that holds what the question word asks for', () => {
    const when = extractAnswer('東京タワーは何年に竣工した？', [HISTORY]);
    expect(when.found).toBe(true);
    expect(when.parts.map((p) => p.text).join('')).toContain('1958年');
    const who = extractAnswer('東京タワーの設計者は誰？', [HISTORY]);
    expect(who.parts.map((p) => p.text).join('')).toContain('内藤多仲');
  });

  it('answers "not found" when no sentence covers enough of the question', () => {
    expect(extractAnswer('富士山の標高は何メートルか？', [HISTORY]).found).toBe(false);
    expect(extractAnswer('anything', []).found).toBe(false);
  });

  it('stays within 200 characters, quoting only verbatim text of the passages (property)', () => {
    const sentence = fc
      .array(
        fc.constantFrom('東京', 'タワー', '電波', '塔', '年', '1958', 'の', 'は', 'tower', ' ', 'height'),
        {
          minLength: 1,
          maxLength: 80,
        },
      )
      .map((w) => `${w.join('')}。`);
    fc.assert(
      fc.property(
        fc.array(fc.array(sentence, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }),
        (docs) => {
          const passages = docs.map((d, i) => passage(d.join(''), i, 1 / (i + 1)));
          const x = extractAnswer('東京タワーの電波塔は何年？ tower height', passages, {
            threshold: 0,
            passageWeight: 1,
            cueWeight: 0.2,
            maxChars: MAX_ANSWER_CHARS,
            otherPassages: true,
          });
          const rendered = x.parts.map((p, i) => `${i > 0 ? ' ' : ''}${p.text}[${i + 1}]`).join('');
          expect([...rendered].length).toBeLessThanOrEqual(MAX_ANSWER_CHARS);
          for (const part of x.parts)
            for (const piece of part.text.split(/ |…/)) expect(passages[part.passage]!.text).toContain(piece);
        },
      ),
    );
  });
});

describe('ExtractiveEngine', () => {
  it('streams citations with the exact passage, then marked text, then done', async () => {
    const events: AnswerEvent[] = [];
    const engine = new ExtractiveEngine();
    for await (const e of engine.answer({
      question: '東京タワーの高さは何メートル？',
      language: 'ja',
      history: [],
      retrieval: { passages: async () => [HISTORY] },
    }))
      events.push(e);
    expect(events[0]).toMatchObject({
      type: 'citation',
      citation: { n: 1, quote: HISTORY.text, chunkOrdinal: 0 },
    });
    expect(
      events
        .filter((e) => e.type === 'text')
        .map((e) => e.delta)
        .join(''),
    ).toMatch(/333メートル.*\[1\]$/);
    expect(events[events.length - 1]).toEqual({ type: 'done', mode: 'extractive', found: true });
  });
});

describe('questions', () => {
  it('accepts ordinary questions, trimmed; refuses empty, long and control-character ones with invalid_question', () => {
    expect(validateQuestion('  経費の申請期限は？\n')).toBe('経費の申請期限は？');
    for (const bad of [
      '',
      ' \n ',
      'x'.repeat(MAX_QUESTION_CHARS + 1),
      'a\u0000b',
      'a\u001bb',
      'a\u0085b',
      '質問\u000b',
    ])
      expect(() => validateQuestion(bad)).toThrow(
        expect.objectContaining({ status: 400, code: 'invalid_question' }),
      );
  });

  it('never accepts a control character other than tab and line breaks (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 0x9f }), (text, code) => {
        const c = String.fromCharCode(code);
        const isControl = code < 0x20 || (code >= 0x7f && code <= 0x9f);
        if (!isControl || c === '\t' || c === '\n' || c === '\r') return;
        expect(() => validateQuestion(`質問${c}${text}`)).toThrow();
      }),
    );
  });

  it('titles a conversation by its first line, at most 60 characters; detects the language', () => {
    expect(titleFrom('経費の申請期限は？\n詳しく')).toBe('経費の申請期限は？');
    expect([...titleFrom('あ'.repeat(100))].length).toBe(60);
    expect(languageOf('What is the deadline?')).toBe('en');
    expect(languageOf('deadline は？')).toBe('ja');
  });
});
