import { writeFileSync, mkdirSync } from 'node:fs';
import { writeCorpus } from './ingest-corpus.js';
const dir = process.argv[2]!;
mkdirSync(dir, { recursive: true });
await writeCorpus(dir, 12, 8);
writeFileSync(`${dir}/壊れた.pdf`, '%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage');
writeFileSync(`${dir}/空.txt`, '');
writeFileSync(`${dir}/program.bin`, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0]));
writeFileSync(`${dir}/売上.csv`, Buffer.concat([Buffer.from('商品,金額\n', 'latin1'), Buffer.from([0x82, 0xa0, 0x82]), Buffer.from(',100\n')]));
