import { describe, expect, it } from 'vitest';
import { readByCurrentReader, readerVersion } from './reader-versions.js';

describe('reader versions', () => {
  it('knows which readers changed the text they keep (PDF 3; Markdown, text, e-mail 2), the rest at 1', () => {
    expect(readerVersion('application/pdf')).toBe(4);
    expect(readerVersion('text/markdown')).toBe(2);
    expect(readerVersion('text/plain')).toBe(3);
    expect(readerVersion('message/rfc822')).toBe(3);
    expect(readerVersion('text/html')).toBe(1);
    expect(readerVersion(null)).toBe(1);
  });

  it('says a document must be read again only when an older reader read it', () => {
    expect(readByCurrentReader({ mimeType: 'application/pdf', readerVersion: 1 })).toBe(false);
    expect(readByCurrentReader({ mimeType: 'application/pdf', readerVersion: 2 })).toBe(false);
    expect(readByCurrentReader({ mimeType: 'application/pdf', readerVersion: 3 })).toBe(false);
    expect(readByCurrentReader({ mimeType: 'application/pdf', readerVersion: 4 })).toBe(true);
    expect(readByCurrentReader({ mimeType: 'text/html', readerVersion: 1 })).toBe(true);
    // A failed document has no MIME type: nothing to compare, its own rules decide.
    expect(readByCurrentReader({ mimeType: null, readerVersion: 1 })).toBe(true);
  });
});
