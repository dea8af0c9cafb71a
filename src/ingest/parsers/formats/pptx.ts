import { OfficeParser, type OfficeContentNode } from 'officeparser';
import type { ParsedSection } from '../parsed-document.js';
import { officeNodeText } from '../structure/office-ast-text.js';
import { normalizeText } from '../text/normalize-text.js';
import type { FormatContext, FormatResult } from './format-result.js';

/** PPTX via officeparser: one section per slide (anchor.slide), speaker notes after the slide's text. */
export async function parsePptx(bytes: Buffer, context: FormatContext): Promise<FormatResult> {
  const warnings: string[] = [];
  const ast = await OfficeParser.parseOffice(bytes, {
    fileType: 'pptx',
    ignoreNotes: false,
    ignoreSlideMasters: true, // master slides repeat template boilerplate on every slide
    extractAttachments: false,
    ocr: false,
    abortSignal: context.signal,
    decompressionLimits: { maxUncompressedBytes: context.limits.maxUncompressedBytes },
    onWarning: (issue) => warnings.push(`PPTX: ${String(issue.message).slice(0, 200)}`),
  });
  const sections: ParsedSection[] = [];
  let slideCount = 0;
  for (const node of ast.content) {
    if (node.type !== 'slide') continue;
    slideCount++;
    const slide = slideNumber(node) ?? slideCount;
    const body = officeNodeText(node);
    const notes = (node.notes ?? []).map((note) => noteText(note, slide)).filter((text) => text !== '');
    const text = normalizeText([body, ...notes].filter((part) => part.trim() !== '').join('\n\n')).trim();
    if (text) sections.push({ text, anchor: { slide } });
  }
  return { sections, metadata: { slides: String(slideCount) }, warnings: warnings.slice(0, 5) };
}

function slideNumber(node: OfficeContentNode): number | undefined {
  const value = (node.metadata as { slideNumber?: unknown } | undefined)?.slideNumber;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The notes page repeats the slide number as a text field; it is not a note. */
function noteText(note: OfficeContentNode, slide: number): string {
  return officeNodeText(note)
    .split('\n')
    .filter((line) => line.trim() !== String(slide))
    .join('\n')
    .trim();
}
