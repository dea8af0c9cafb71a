import { expectInteger, expectNumber, isDict, PdfStream, type PdfDict, type PdfObject } from './objects.js';
import type { PdfFile } from './pdf-file.js';
import { unsupported } from './unsupported.js';

export interface PdfPage {
  /** Resources as pdf.js sees them: the page's own, merged with each ancestor's (nearest first). */
  resources: PdfDict;
  /** The visible area (CropBox ∩ MediaBox) in default user space: text outside it is dropped. */
  view: [number, number, number, number];
  /** The page's content, its streams joined with nothing between them (as pdf.js joins them). */
  content: PdfStream[];
}

const MAX_DEPTH = 64;
const MAX_PAGES = 100_000;
const LETTER: [number, number, number, number] = [0, 0, 612, 792];

/** The pages in order. The tree must agree with the root's /Count, or the file is pdf.js's to read. */
export function readPages(file: PdfFile): PdfPage[] {
  const root = file.resolve(file.trailer.get('Root'));
  if (!isDict(root)) return unsupported('no document catalog');
  const top = file.resolve(root.get('Pages'));
  if (!isDict(top)) return unsupported('no page tree');
  const count = expectInteger(file.resolve(top.get('Count')), 'page /Count');
  const pages: PdfPage[] = [];
  let visited = 0;
  const visit = (node: PdfDict, chain: PdfDict[]) => {
    if (chain.length > MAX_DEPTH || chain.includes(node)) unsupported('a page tree loop');
    // A node listed twice is legal syntax but doubles the walk at each level: bound it.
    if (++visited > 2 * MAX_PAGES) unsupported('a page tree too large');
    const kids = file.resolve(node.get('Kids'));
    if (kids === undefined) {
      if (pages.length >= MAX_PAGES) unsupported('too many pages');
      pages.push(toPage(file, [node, ...chain]));
      return;
    }
    if (!Array.isArray(kids)) return unsupported('bad /Kids');
    for (const kid of kids) {
      const child = file.resolve(kid);
      if (!isDict(child)) return unsupported('a page tree node that is not a dictionary');
      visit(child, [node, ...chain]);
    }
  };
  visit(top, []);
  if (pages.length !== count) unsupported('a page tree whose /Count disagrees with its pages');
  return pages;
}

function toPage(file: PdfFile, chain: PdfDict[]): PdfPage {
  const [page] = chain as [PdfDict];
  const resources: PdfDict = new Map();
  for (const node of chain) {
    const value = file.resolve(node.get('Resources'));
    if (value === undefined) continue;
    if (!isDict(value)) return unsupported('bad /Resources');
    for (const [key, entry] of value) if (!resources.has(key)) resources.set(key, entry);
  }
  const mediaBox = box(file, chain, 'MediaBox') ?? LETTER;
  const cropBox = box(file, chain, 'CropBox') ?? mediaBox;
  const contents = file.resolve(page.get('Contents'));
  const streams =
    contents === undefined || contents === null ? [] : Array.isArray(contents) ? contents : [contents];
  const content = streams.map((stream) => {
    const value = file.resolve(stream);
    return value instanceof PdfStream ? value : unsupported('page content that is not a stream');
  });
  return { resources, view: intersect(mediaBox, cropBox), content };
}

function box(file: PdfFile, chain: PdfDict[], key: string): [number, number, number, number] | undefined {
  for (const node of chain) {
    const value: PdfObject | undefined = file.resolve(node.get(key));
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.length !== 4) return unsupported(`a bad /${key}`);
    const [x0, y0, x1, y1] = value.map((n) => expectNumber(file.resolve(n), key)) as [
      number,
      number,
      number,
      number,
    ];
    const normal: [number, number, number, number] = [
      Math.min(x0, x1),
      Math.min(y0, y1),
      Math.max(x0, x1),
      Math.max(y0, y1),
    ];
    if (normal[2] - normal[0] > 0 && normal[3] - normal[1] > 0) return normal;
    return unsupported(`an empty /${key}`);
  }
  return undefined;
}

function intersect(
  media: [number, number, number, number],
  crop: [number, number, number, number],
): [number, number, number, number] {
  if (media.every((v, i) => v === crop[i])) return media;
  const view: [number, number, number, number] = [
    Math.max(media[0], crop[0]),
    Math.max(media[1], crop[1]),
    Math.min(media[2], crop[2]),
    Math.min(media[3], crop[3]),
  ];
  return view[2] - view[0] > 0 && view[3] - view[1] > 0 ? view : media;
}
