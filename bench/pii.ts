/**
 * PII benchmark (issue 5): detection + pseudonymisation of a 4,000-character Japanese prompt through
 * PiiGuard (the call the model gateway makes), with the dictionary already loaded; p50/p95 over many
 * runs; then the evaluation table for the main and held-out sets.
 *   node --import tsx bench/pii.ts
 */
import { cpus, loadavg } from 'node:os';
import { evaluateScanner, formatEvaluation } from '../src/governance/pii/evaluate-scanner.js';
import { PiiGuard } from '../src/governance/pii/pii-guard.js';
import { PiiScanner } from '../src/governance/pii/pii-scanner.js';
import { PseudonymMap } from '../src/governance/pii/pseudonym-map.js';
import { loadKuromojiTokenizer } from '../src/search/analysis/kuromoji-tokenizer.js';
import { loadEvalSet } from '../test/fixtures/pii/load-eval-set.js';

const SURNAMES = [
  '山田',
  '佐藤',
  '鈴木',
  '高橋',
  '田中',
  '伊藤',
  '渡辺',
  '中村',
  '小林',
  '加藤',
  '吉田',
  '松本',
];
const GIVEN = [
  '太郎',
  '花子',
  '健太',
  '美咲',
  '大輔',
  '裕子',
  '直樹',
  '智子',
  '拓也',
  '由美',
  '一郎',
  '洋子',
];
const pick = <T>(items: readonly T[], i: number): T => items[i % items.length]!;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Business paragraphs; each repetition carries other names and numbers, so nothing is analysed twice by luck. */
const PARAGRAPHS: ((i: number) => string)[] = [
  (i) =>
    `株式会社さくら商事 営業本部の${pick(SURNAMES, i)}${pick(GIVEN, i + 3)}様\nいつも大変お世話になっております。先日の打ち合わせでご相談いただいた新システム導入の件について、社内で検討した結果をご報告いたします。`,
  (i) =>
    `導入スケジュールは2025年${(i % 12) + 1}月1日から第1フェーズを開始し、6月末までに全拠点への展開を完了する予定です。費用は初期費用3,${pad(i * 7, 3)}万円、月額利用料48万円を想定しています。`,
  (i) =>
    `ご契約者様の情報として、氏名 ${pick(SURNAMES, i + 5)}${pick(GIVEN, i + 7)}、電話 090-${pad(1234 + i, 4)}-5678、メール user${i}@example.co.jp、住所 〒100-${pad(i, 4)} 東京都千代田区丸の内1丁目${i + 1}番3号 を登録しました。`,
  (i) =>
    `年末調整に必要な個人番号（マイナンバー 1234 5678 9018）は人事部の${pick(SURNAMES, i + 2)}さんが厳重に管理しています。取引先の法人番号は 7000012050002 です。`,
  (i) =>
    `お支払いは法人カード 4111 1111 1111 1111 または三菱UFJ銀行 渋谷支店 普通 ${pad(1234567 + i, 7)} へのお振込みでお願いいたします。請求書番号 INV-2025-${pad(i, 5)}、注文番号 2025031400${pad(i, 2)}。`,
  () =>
    '品質管理部門からは、検査工程の自動化によって不良率が前年比12.5%改善したとの報告がありました。詳細は添付資料（第3版、2025/03/14更新）をご参照ください。',
  (i) =>
    `今後ともよろしくお願い申し上げます。ご不明な点がございましたら、担当の${pick(SURNAMES, i + 9)}までお気軽にお問い合わせください（TEL 03-6272-${pad(8810 + i, 4)}、内線 215）。`,
];

function buildPrompt(length: number): string {
  let text = '';
  for (let i = 0; text.length < length; i++)
    text += PARAGRAPHS[i % PARAGRAPHS.length]!(Math.floor(i / PARAGRAPHS.length) * 3 + i) + '\n';
  return text.slice(0, length);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const loadStarted = performance.now();
const tokenizer = await loadKuromojiTokenizer();
const loadMs = performance.now() - loadStarted;
const scanner = new PiiScanner({ tokenizer });
const guard = new PiiGuard(scanner);
const prompt = buildPrompt(4000);

/**
 * cold: a new scanner per call (no analysed name window cached) — a prompt seen for the first time.
 * warm: one scanner, the same prompt again — a conversation's history re-sent on the next turn.
 */
function measure(kind: 'cold' | 'warm', runs: number): { times: number[]; found: number; cpuMs: number } {
  const times: number[] = [];
  let found = 0;
  const cpu = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const g = kind === 'cold' ? new PiiGuard(new PiiScanner({ tokenizer })) : guard;
    const map = new PseudonymMap();
    const started = performance.now();
    found = g.protect('pseudonymize', prompt, map).report.total;
    times.push(performance.now() - started);
  }
  const used = process.cpuUsage(cpu);
  return { times: times.sort((a, b) => a - b), found, cpuMs: (used.user + used.system) / 1000 / runs };
}

const RUNS = 2000;
measure('cold', 300);
const cold = measure('cold', RUNS);
measure('warm', 300);
const warm = measure('warm', RUNS);
const restoreTimes: number[] = [];
const map = new PseudonymMap();
const sent = guard.protect('pseudonymize', prompt, map).text;
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  map.restore(sent);
  restoreTimes.push(performance.now() - started);
}
restoreTimes.sort((a, b) => a - b);

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(`dictionary load (once per process): ${loadMs.toFixed(0)} ms`);
for (const [kind, r] of [
  ['cold (first sight)', cold],
  ['warm (history re-sent)', warm],
] as const) {
  console.log(
    `guard.protect('pseudonymize'), ${prompt.length}-character Japanese prompt, ${r.found} values, ${kind}, ${RUNS} runs:` +
      ` p50 ${percentile(r.times, 50).toFixed(3)} ms, p95 ${percentile(r.times, 95).toFixed(3)} ms,` +
      ` max ${r.times[r.times.length - 1]!.toFixed(2)} ms; CPU time per call (all threads, incl. GC) ${r.cpuMs.toFixed(3)} ms`,
  );
}
console.log(
  `restore() of the pseudonymised prompt: p50 ${percentile(restoreTimes, 50).toFixed(3)} ms, p95 ${percentile(restoreTimes, 95).toFixed(3)} ms`,
);
for (const which of ['main', 'holdout'] as const) {
  const set = loadEvalSet(which);
  const result = evaluateScanner(set, (t) => scanner.scan(t));
  console.log(`\nEvaluation, ${which} set (${set.length} snippets):\n${formatEvaluation(result)}`);
  for (const m of result.misses) console.log(`  missed ${m.type} in ${m.id}`);
  for (const m of result.falsePositives) console.log(`  false ${m.type} in ${m.id}`);
}
