import { describe, expect, it } from 'vitest';
import { deflateEntry, writeZip } from '../../../../test/fixtures/zip-writer.js';
import { MAX_ZIP_ENTRIES, readZipDirectory } from './zip-directory.js';

describe('readZipDirectory', () => {
  it('lists entries with their declared sizes', () => {
    const zip = writeZip([
      deflateEntry('word/document.xml', Buffer.alloc(5000, 0x61)),
      deflateEntry('日本語.txt', Buffer.from('あ')),
    ]);
    expect(
      readZipDirectory(zip).map(({ name, uncompressedSize, method }) => ({ name, uncompressedSize, method })),
    ).toEqual([
      { name: 'word/document.xml', uncompressedSize: 5000, method: 8 },
      { name: '日本語.txt', uncompressedSize: 3, method: 8 },
    ]);
  });

  it('reads ZIP64 sizes from the extra field', () => {
    const zip = writeZip([deflateEntry('big.xml', Buffer.from('x'))]);
    // Rewrite the central record as ZIP64: 0xFFFFFFFF sizes, real ones (6 GB declared) in an 0x0001 extra field.
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const extra = Buffer.alloc(20);
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(16, 2);
    extra.writeBigUInt64LE(6n * 1024n ** 3n, 4);
    extra.writeBigUInt64LE(3n, 12);
    const record = Buffer.from(zip.subarray(central, central + 46 + 7));
    record.writeUInt32LE(0xffffffff, 20);
    record.writeUInt32LE(0xffffffff, 24);
    record.writeUInt16LE(extra.length, 30);
    const end = Buffer.from(zip.subarray(central + 46 + 7));
    end.writeUInt32LE(46 + 7 + extra.length, 12);
    const forged = Buffer.concat([zip.subarray(0, central), record, extra, end]);
    expect(readZipDirectory(forged)[0]).toMatchObject({ uncompressedSize: 6 * 1024 ** 3, compressedSize: 3 });
  });

  it('refuses archives with absurd entry counts, and damaged directories', () => {
    const zip = writeZip([deflateEntry('a', Buffer.from('a'))]);
    const many = Buffer.from(zip);
    many.writeUInt16LE(Math.min(0xfffe, MAX_ZIP_ENTRIES + 1), many.length - 12);
    expect(() => readZipDirectory(many)).toThrow(expect.objectContaining({ code: 'archive_bomb' }));
    expect(() => readZipDirectory(zip.subarray(0, zip.length - 30))).toThrow(
      expect.objectContaining({ code: 'corrupt_file' }),
    );
    expect(() => readZipDirectory(Buffer.from('PK'))).toThrow(
      expect.objectContaining({ code: 'corrupt_file' }),
    );
  });
});
