import { describe, expect, it } from 'vitest';
import { printedLines } from './printed-lines.js';
import type { TextItem } from './text-content.js';

const item = (str: string, left: number, right: number, hasEOL = false, baseline = 790): TextItem => ({
  str,
  hasEOL,
  extent: { left, right, baseline, size: 11 },
});

describe('printedLines', () => {
  it('joins the items up to each line end, their extents merged; a space between items counts for nothing', () => {
    const lines = printedLines([
      item('売上', 50, 72),
      { str: ' ', hasEOL: false },
      item('東京', 100, 122, true, 790.5),
      item('本文', 50, 534, true, 776.5),
      item('末尾', 50, 72, false, 763),
    ]);
    expect(lines).toEqual([
      { text: '売上 東京', extent: { left: 50, right: 122, baseline: 790, size: 11 } },
      { text: '本文', extent: { left: 50, right: 534, baseline: 776.5, size: 11 } },
      { text: '末尾', extent: { left: 50, right: 72, baseline: 763, size: 11 } },
    ]);
  });

  it('leaves a line unmeasured when one of its items has no extent (rotated text), and the next one measured', () => {
    const lines = printedLines([item('横', 50, 61), { str: '縦', hasEOL: true }, item('次', 50, 61, true)]);
    expect(lines.map((line) => line.extent)).toEqual([
      undefined,
      { left: 50, right: 61, baseline: 790, size: 11 },
      undefined,
    ]);
    expect(lines.map((line) => line.text)).toEqual(['横縦', '次', '']);
  });
});
