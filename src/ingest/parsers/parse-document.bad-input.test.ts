import { describe, expect, it } from 'vitest';
import {
  EXPENSE_RULES,
  makeDocx,
  makeElf,
  makeEncryptedOfficeFile,
  makeEncryptedPdf,
  makeLyingSizeDocx,
  makePlainZip,
  makePng,
  makeTruncatedPdf,
  makeZipBombDocx,
} from '../../../test/fixtures/index.js';
import { AppError } from '../../platform/errors/errors.js';
import { parseDocument } from './parse-document.js';
import { ParseError } from './parse-error.js';
import type { ParseLimits } from './parse-limits.js';

async function failure(bytes: Buffer, fileName?: string, limits?: ParseLimits): Promise<ParseError> {
  const error = await parseDocument(bytes, { fileName }, limits).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ParseError);
  expect(error).toBeInstanceOf(AppError);
  const parseError = error as ParseError;
  expect(parseError.status).toBe(422);
  expect(parseError.expose).toBe(true);
  return parseError;
}

describe('parseDocument: bad input gets a stable code and a clear reason', () => {
  it('a 0-byte file: empty_file', async () => {
    const error = await failure(Buffer.alloc(0), 'empty.txt');
    expect(error.code).toBe('empty_file');
    expect(error.message).toBe('The file is empty (0 bytes).');
  });

  it('a file of whitespace only: empty_file', async () => {
    expect((await failure(Buffer.from('  \r\n\t\n'), 'blank.txt')).code).toBe('empty_file');
  });

  it('a file over maxBytes: too_large (checked before anything is parsed)', async () => {
    const error = await failure(Buffer.alloc(2048, 0x41), 'big.txt', { maxBytes: 1024 });
    expect(error.code).toBe('too_large');
    expect(error.message).toBe('The file is 2048 bytes, over the limit of 1024 bytes.');
  });

  it('a truncated PDF: corrupt_file', async () => {
    const error = await failure(await makeTruncatedPdf(), 'cut.pdf');
    expect(error.code).toBe('corrupt_file');
    expect(error.message).toMatch(/^The PDF could not be read \(.+\); it may be damaged or truncated\.$/);
  });

  it('a password-protected PDF: encrypted_file', async () => {
    const error = await failure(await makeEncryptedPdf(), 'secret.pdf');
    expect(error.code).toBe('encrypted_file');
    expect(error.message).toBe('The PDF is password-protected; remove the password and upload it again.');
  });

  it('a password-protected Office file (OLE2 with EncryptedPackage): encrypted_file', async () => {
    const error = await failure(makeEncryptedOfficeFile(), 'secret.docx');
    expect(error.code).toBe('encrypted_file');
    expect(error.message).toMatch(/password-protected/);
  });

  it('a DOCX that is a ZIP bomb (50 MB of zeros in ~50 KB): archive_bomb, refused from the central directory', async () => {
    const bomb = await makeZipBombDocx();
    expect(bomb.length).toBeLessThan(200 * 1024);
    const error = await failure(bomb, 'bomb.docx');
    expect(error.code).toBe('archive_bomb');
    expect(error.message).toMatch(
      /^Refused: the archive looks like a ZIP bomb — its part "word\/media\/image1\.bin" expands \d+×/,
    );
  });

  it('a DOCX whose central directory lies about sizes: archive_bomb, caught by counting inflated bytes', async () => {
    const error = await failure(await makeLyingSizeDocx(), 'liar.docx');
    expect(error.code).toBe('archive_bomb');
    expect(error.message).toMatch(/inflates beyond its declared size/);
  });

  it('an honest DOCX over a small maxUncompressedBytes: archive_bomb', async () => {
    const error = await failure(await makeDocx(), 'a.docx', { maxUncompressedBytes: 10_000 });
    expect(error.code).toBe('archive_bomb');
    expect(error.message).toMatch(/declares .* uncompressed/);
  });

  it('a PNG: unsupported_type naming what it is', async () => {
    const error = await failure(makePng(), 'photo.docx');
    expect(error.code).toBe('unsupported_type');
    expect(error.message).toBe('Unsupported file type: PNG image.');
  });

  it('an ELF executable: unsupported_type naming what it is', async () => {
    const error = await failure(makeElf(), 'report.pdf');
    expect(error.code).toBe('unsupported_type');
    expect(error.message).toBe('Unsupported file type: ELF executable.');
  });

  it('a ZIP that is no Office document, and unknown binary data: unsupported_type', async () => {
    expect((await failure(makePlainZip(), 'a.zip')).message).toMatch(
      /a ZIP archive that is not a Word, Excel or PowerPoint file/,
    );
    const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    expect((await failure(noise, 'data.bin')).message).toMatch(/binary data of an unknown kind/);
  });

  it('a corrupt DOCX (valid ZIP, garbage XML) and a corrupt XLSX: corrupt_file', async () => {
    const { writeZip, deflateEntry } = await import('../../../test/fixtures/zip-writer.js');
    const docx = writeZip([deflateEntry('word/document.xml', Buffer.from('<w:document><<<not xml'))]);
    expect((await failure(docx, 'x.docx')).code).toBe('corrupt_file');
    const xlsx = writeZip([deflateEntry('xl/workbook.xml', Buffer.from('garbage'))]);
    const error = await failure(xlsx, 'x.xlsx');
    expect(error.code).toBe('corrupt_file');
    expect(error.message).toMatch(/^The Excel file could not be read/);
  });

  it('HTML nested thousands of levels deep: corrupt_file, not a stack overflow', async () => {
    const deep = `<html><body>${'<div>'.repeat(3000)}深い${'</div>'.repeat(3000)}</body></html>`;
    const error = await failure(Buffer.from(deep), 'deep.html');
    expect(error.code).toBe('corrupt_file');
    expect(error.message).toBe('The HTML nests elements more than 1000 levels deep; no real document does.');
  });

  it('a name with NUL, ../ or a path is never a path: only its cleaned last segment is the title', async () => {
    const doc = await parseDocument(Buffer.from('本文です。'), {
      fileName: '../../etc/pass\u0000wd/..\\..\\規程\u0000.txt',
    });
    expect(doc.title).toBe('規程');
    const dots = await parseDocument(Buffer.from('本文です。'), { fileName: '../..' });
    expect(dots.title).toBe('本文です。');
  });

  it('timeoutMs: parse_timeout when the budget runs out', async () => {
    // Long enough that no parser reads it in 1 ms (the small fixture now parses in well under that).
    const long = {
      ...EXPENSE_RULES,
      chapters: Array.from({ length: 100 }, () => EXPENSE_RULES.chapters).flat(),
    };
    const error = await failure(await makeDocx(long), 'a.docx', { timeoutMs: 1 });
    expect(error.code).toBe('parse_timeout');
  });
});
