import type { ItemExtent, TextItem } from './text-content.js';

/** A printed line's text and, when every item of it is upright, where its glyphs start and end. */
export interface PrintedLine {
  text: string;
  extent: ItemExtent | undefined;
}

/**
 * A page's text items as printed lines: the items up to each line end, their text joined as
 * unpdf's extractText joins it, their extents merged.
 */
export function printedLines(items: TextItem[]): PrintedLine[] {
  const lines: PrintedLine[] = [];
  let text = '';
  let extent: ItemExtent | undefined;
  let measured = true;
  for (const item of items) {
    text += item.str;
    // A space between items has no extent of its own; any other item without one leaves the line unmeasured.
    if (item.extent) {
      const { left, right, size } = item.extent;
      // The line stands where its first item stands.
      extent = extent
        ? {
            left: Math.min(extent.left, left),
            right: Math.max(extent.right, right),
            baseline: extent.baseline,
            size: Math.max(extent.size, size),
          }
        : { ...item.extent };
    } else if (item.str.trim() !== '') measured = false;
    if (!item.hasEOL) continue;
    lines.push({ text, extent: measured ? extent : undefined });
    [text, extent, measured] = ['', undefined, true];
  }
  lines.push({ text, extent: measured ? extent : undefined });
  return lines;
}
