/** Short document type names accepted by `type=` (and the MIME types the parsers record). */
const TYPES: Record<string, string[]> = {
  pdf: ['application/pdf'],
  docx: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  word: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  excel: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  pptx: ['application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  powerpoint: ['application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  eml: ['message/rfc822'],
  email: ['message/rfc822'],
  html: ['text/html'],
  markdown: ['text/markdown'],
  md: ['text/markdown'],
  csv: ['text/csv'],
  text: ['text/plain'],
  txt: ['text/plain'],
};

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** MIME types for a `type` filter value, or null when the value names no type. */
export function mimeTypesFor(type: string): string[] | null {
  const key = type.trim().toLowerCase();
  if (Object.hasOwn(TYPES, key)) return TYPES[key] as string[];
  return MIME.test(key) ? [key] : null;
}
