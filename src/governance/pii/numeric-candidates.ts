/**
 * Digit sequences that could be an identifier: maximal runs of digit groups joined by single hyphens
 * or spaces ("1234 5678 9012", "4-1234-5678-9012"), then every window of up to five space-separated
 * parts of a run (two numbers written side by side share a run). One linear scan; a run of 10,000
 * digits is one candidate that no detector accepts.
 */
export interface NumericCandidate {
  readonly start: number;
  readonly end: number;
  /** The digits without separators. */
  readonly digits: string;
  /** Length of each digit group, e.g. [4, 4, 4] for 1234-5678-9012. */
  readonly groups: readonly number[];
  /** The ASCII letter directly before the number, if any ("T" in a T-number), else ''. */
  readonly letterBefore: string;
}

const RUN = /\d+(?:[ -]\d+)*/g;
const SEGMENT = /\d+(?:-\d+)*/g;
const MAX_PARTS = 5;
const MAX_DIGITS = 19;
/** The shortest identifier these candidates serve (マイナンバー: 12 digits). */
const MIN_DIGITS = 12;

function isAlnum(ch: string | undefined): boolean {
  return ch !== undefined && /[0-9A-Za-z]/.test(ch);
}

/** Does the character at `i` glue the run to a code, decimal, date or time ("AB-", ".5", "/12", ":30")? */
function gluedBefore(text: string, start: number): boolean {
  const p = text[start - 1];
  if (p === undefined) return false;
  if (/[A-Za-z_]/.test(p)) return !(p === 'T' && !/[A-Za-z0-9]/.test(text[start - 2] ?? ''));
  return /[-/.:,#]/.test(p) && isAlnum(text[start - 2]);
}

function gluedAfter(text: string, end: number): boolean {
  const n = text[end];
  if (n === undefined) return false;
  if (/[A-Za-z_]/.test(n)) return true;
  return /[-/.:,]/.test(n) && isAlnum(text[end + 1]);
}

export function numericCandidates(folded: string): NumericCandidate[] {
  const out: NumericCandidate[] = [];
  RUN.lastIndex = 0;
  for (let run = RUN.exec(folded); run !== null; run = RUN.exec(folded)) {
    const runStart = run.index;
    const runEnd = runStart + run[0].length;
    if (run[0].length < MIN_DIGITS) continue;
    if (gluedBefore(folded, runStart) || gluedAfter(folded, runEnd)) continue;
    const letterBefore = /[A-Za-z]/.test(folded[runStart - 1] ?? '') ? folded[runStart - 1]! : '';
    const parts: { start: number; end: number; digits: string; groups: number[] }[] = [];
    SEGMENT.lastIndex = 0;
    const runText = run[0];
    for (let seg = SEGMENT.exec(runText); seg !== null; seg = SEGMENT.exec(runText)) {
      const pieces = seg[0].split('-');
      parts.push({
        start: runStart + seg.index,
        end: runStart + seg.index + seg[0].length,
        digits: pieces.join(''),
        groups: pieces.map((g) => g.length),
      });
    }
    for (let i = 0; i < parts.length; i++) {
      let digits = '';
      let groups: number[] = [];
      for (let j = i; j < parts.length && j < i + MAX_PARTS; j++) {
        digits += parts[j]!.digits;
        if (digits.length > MAX_DIGITS) break;
        groups = groups.concat(parts[j]!.groups);
        out.push({
          start: parts[i]!.start,
          end: parts[j]!.end,
          digits,
          groups,
          letterBefore: i === 0 ? letterBefore : '',
        });
      }
    }
  }
  return out;
}

/** True when the groups are exactly `pattern` (e.g. [4, 4, 4]) or a single unbroken group. */
export function groupedAs(groups: readonly number[], ...patterns: (readonly number[])[]): boolean {
  if (groups.length === 1) return true;
  return patterns.some((p) => p.length === groups.length && p.every((n, i) => groups[i] === n));
}
