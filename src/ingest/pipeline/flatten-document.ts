import type { ParsedDocument, ParsedSection, ParsedTable } from '../parsers/index.js';

/**
 * An e-mail's attachments are indexed with the message: their sections follow the body, each
 * anchored under "添付: <attachment title>" so a citation names the attachment it came from.
 */
export function flattenDocument(
  document: ParsedDocument,
  prefix = '',
): { sections: ParsedSection[]; tables: ParsedTable[] } {
  const sections = document.sections.map((section) =>
    prefix
      ? {
          text: section.text,
          anchor: { ...section.anchor, heading: joinHeading(prefix, section.anchor.heading) },
        }
      : section,
  );
  const tables = [...document.tables];
  for (const attachment of document.attachments) {
    const nested = flattenDocument(attachment, joinHeading(prefix, `添付: ${attachment.title}`));
    sections.push(...nested.sections);
    tables.push(...nested.tables);
  }
  return { sections, tables };
}

const joinHeading = (outer: string, inner: string | undefined) =>
  outer && inner ? `${outer} > ${inner}` : outer || inner || '';
