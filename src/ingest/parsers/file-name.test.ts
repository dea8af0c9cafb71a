import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeFileName } from './file-name.js';

describe('safeFileName', () => {
  it('keeps only the cleaned last segment', () => {
    expect(safeFileName('../../etc/passwd')).toEqual({ baseName: 'passwd', extension: '', stem: 'passwd' });
    expect(safeFileName('C:\\Users\\山田\\経費精算規程.DOCX')).toEqual({
      baseName: '経費精算規程.DOCX',
      extension: 'docx',
      stem: '経費精算規程',
    });
    expect(safeFileName('re\u0000port\u202e.pdf')).toEqual({
      baseName: 'report.pdf',
      extension: 'pdf',
      stem: 'report',
    });
    expect(safeFileName('.bashrc')).toEqual({ baseName: '.bashrc', extension: '', stem: '.bashrc' });
  });

  it('refuses names that are nothing but dots, separators or controls', () => {
    for (const name of ['', '..', '../..', '/', '\u0000', 'a/..', '...'])
      expect(safeFileName(name)).toBeUndefined();
  });

  it('property: the result never contains a separator, NUL or control, and is never "." or ".."', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const safe = safeFileName(name);
        if (!safe) return;
        // eslint-disable-next-line no-control-regex -- matching control characters is the point
        expect(safe.baseName).not.toMatch(/[/\\\u0000-\u001f\u007f]/);
        expect(['.', '..']).not.toContain(safe.baseName);
        expect(safe.baseName.length).toBeLessThanOrEqual(255);
      }),
    );
  });
});
