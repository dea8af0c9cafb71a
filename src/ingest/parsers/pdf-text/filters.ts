import { inflateSync } from 'node:zlib';
import { isDict, nameOf, type PdfDict, type PdfObject } from './objects.js';
import { unsupported } from './unsupported.js';

/** The most one stream may inflate to: far above any page's text, far below what would hurt. */
export const MAX_STREAM_BYTES = 64 * 1024 * 1024;

/**
 * Decodes a stream's data: no filter, or FlateDecode with or without a PNG predictor (what PDF
 * writers use for content, object and cross-reference streams). Anything else is for pdf.js.
 */
export function decodeStream(
  raw: Uint8Array,
  dict: PdfDict,
  resolve: (value: PdfObject | undefined) => PdfObject | undefined,
): Uint8Array {
  const filter = resolve(dict.get('Filter'));
  const filters = Array.isArray(filter) ? filter.map(resolve) : filter === undefined ? [] : [filter];
  if (filters.length === 0) return raw;
  if (filters.length > 1 || nameOf(filters[0]) !== 'FlateDecode')
    return unsupported('a stream filter other than Flate');
  const parmsValue = resolve(dict.get('DecodeParms'));
  const parms = Array.isArray(parmsValue) ? resolve(parmsValue[0]) : parmsValue;
  let data: Uint8Array;
  try {
    data = inflateSync(raw, { maxOutputLength: MAX_STREAM_BYTES });
  } catch {
    return unsupported('a Flate stream that does not inflate cleanly');
  }
  if (parms === undefined || parms === null) return data;
  if (!isDict(parms)) return unsupported('bad DecodeParms');
  const predictor = resolve(parms.get('Predictor')) ?? 1;
  if (predictor === 1) return data;
  if (typeof predictor !== 'number' || predictor < 10 || predictor > 15)
    return unsupported('a TIFF predictor');
  const colors = resolve(parms.get('Colors')) ?? 1;
  const bits = resolve(parms.get('BitsPerComponent')) ?? 8;
  const columns = resolve(parms.get('Columns')) ?? 1;
  if (colors !== 1 || bits !== 8 || !Number.isSafeInteger(columns) || (columns as number) < 1) {
    return unsupported('a predictor layout the fast path does not decode');
  }
  return unpredictPng(data, columns as number);
}

/** Undoes PNG row filters (one byte per pixel, the layout cross-reference streams use). */
function unpredictPng(data: Uint8Array, columns: number): Uint8Array {
  const rowLength = columns + 1;
  if (data.length % rowLength !== 0) return unsupported('predicted data of a partial row');
  const rows = data.length / rowLength;
  const out = new Uint8Array(rows * columns);
  for (let row = 0; row < rows; row++) {
    const type = data[row * rowLength] as number;
    const at = row * columns;
    for (let i = 0; i < columns; i++) {
      const raw = data[row * rowLength + 1 + i] as number;
      const left = i > 0 ? (out[at + i - 1] as number) : 0;
      const up = row > 0 ? (out[at - columns + i] as number) : 0;
      const upLeft = row > 0 && i > 0 ? (out[at - columns + i - 1] as number) : 0;
      let value: number;
      switch (type) {
        case 0:
          value = raw;
          break;
        case 1:
          value = raw + left;
          break;
        case 2:
          value = raw + up;
          break;
        case 3:
          value = raw + ((left + up) >> 1);
          break;
        case 4: {
          const p = left + up - upLeft;
          const pa = Math.abs(p - left);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - upLeft);
          value = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          break;
        }
        default:
          return unsupported('an unknown PNG row filter');
      }
      out[at + i] = value & 0xff;
    }
  }
  return out;
}
