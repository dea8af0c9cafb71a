import { describe, expect, it } from 'vitest';
import { ja } from '../../web/src/i18n/ja.js';
import { syncRunningText } from '../../web/src/sources/sync-running-text.js';

/** The message a key names, its {{placeholders}} filled as i18next fills them. */
function render(messages: unknown, { key, values }: ReturnType<typeof syncRunningText>): string {
  const template = key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages);
  return String(template).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
}

describe('a running sync’s count in the console', () => {
  it('counts a folder’s files and a database’s rows', () => {
    const files = syncRunningText({ done: 12, total: 300, unit: 'files' });
    const rows = syncRunningText({ done: 5000, total: 100000, unit: 'rows' });
    expect(render(ja, files)).toBe('同期中: 12 / 300 ファイル');
    expect(render(ja, rows)).toBe('同期中: 5000 / 100000 行');
    expect(render(ja, syncRunningText({ done: 7, unit: 'rows' }))).toBe('同期中: 7 行');
    expect(render(ja, syncRunningText({ done: 7 }))).toBe('同期中: 7 ファイル');
  });
});
