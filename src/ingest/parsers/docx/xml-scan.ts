import { ParseError } from '../parse-error.js';

/** What the scan reports, in document order. Attribute source is handed over raw: most tags need none. */
export interface XmlVisitor {
  open(name: string, attributes: string, selfClosing: boolean): void;
  close(name: string): void;
  /** Character data between tags, entities already decoded (CDATA arrives as is). */
  text(text: string): void;
}

/**
 * Word nests a few dozen levels at most (tables in tables, text boxes); deeper is an attack on the
 * readers' stacks and on the section walker, which refuses trees deeper than 1000.
 */
export const MAX_XML_DEPTH = 500;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const BANG = 0x21;
const AMP = 0x26;

/**
 * A single-pass, allocation-light XML scan (no DOM, no namespaces resolved): enough for the parts
 * of an OOXML package, which are machine-written, UTF-8 and DTD-free. It checks what a reader relies
 * on — tags balance, names are names, nothing follows the root — and throws corrupt_file otherwise,
 * so damaged parts fail the document rather than yield half of it silently.
 */
export function scanXml(xml: string, visitor: XmlVisitor, part: string): void {
  const open: string[] = [];
  let rootSeen = false;
  let at = 0;
  const length = xml.length;
  while (at < length) {
    const lt = xml.indexOf('<', at);
    const textEnd = lt === -1 ? length : lt;
    if (textEnd > at) {
      if (open.length > 0) visitor.text(decodeXmlText(xml.slice(at, textEnd)));
      else if (xml.slice(at, textEnd).trim() !== '') throw corrupt(part, 'text outside the root element');
    }
    if (lt === -1) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === SLASH) {
      const gt = xml.indexOf('>', lt + 2);
      if (gt === -1) throw corrupt(part, 'an unterminated end tag');
      const name = xml.slice(lt + 2, gt).trim();
      const expected = open.pop();
      if (name !== expected) throw corrupt(part, `</${name.slice(0, 40)}> closes <${expected ?? ''}>`);
      visitor.close(name);
      at = gt + 1;
    } else if (next === QUESTION) {
      const end = xml.indexOf('?>', lt + 2);
      if (end === -1) throw corrupt(part, 'an unterminated processing instruction');
      at = end + 2;
    } else if (next === BANG) {
      at = skipMarkup(xml, lt, open.length > 0, visitor, part);
    } else {
      if (open.length === 0 && rootSeen) throw corrupt(part, 'a second root element');
      const end = tagEnd(xml, lt + 1, part);
      const selfClosing = xml.charCodeAt(end - 1) === SLASH;
      const inner = xml.slice(lt + 1, selfClosing ? end - 1 : end);
      const nameEnd = nameLength(inner);
      if (nameEnd === 0) throw corrupt(part, 'a tag without a name');
      const name = inner.slice(0, nameEnd);
      rootSeen = true;
      if (!selfClosing) {
        if (open.length >= MAX_XML_DEPTH) {
          throw new ParseError(
            'corrupt_file',
            `The Word document nests elements more than ${MAX_XML_DEPTH} levels deep; no real document does.`,
          );
        }
        open.push(name);
      }
      visitor.open(name, inner.slice(nameEnd), selfClosing);
      if (selfClosing) visitor.close(name);
      at = end + 1;
    }
  }
  if (!rootSeen) throw corrupt(part, 'it has no root element');
  if (open.length > 0) throw corrupt(part, `<${open.at(-1) ?? ''}> is never closed (truncated?)`);
}

/** Comments, CDATA; a DTD is refused (OOXML forbids them, and entity expansion is a known bomb). */
function skipMarkup(xml: string, lt: number, inRoot: boolean, visitor: XmlVisitor, part: string): number {
  if (xml.startsWith('<!--', lt)) {
    const end = xml.indexOf('-->', lt + 4);
    if (end === -1) throw corrupt(part, 'an unterminated comment');
    return end + 3;
  }
  if (xml.startsWith('<![CDATA[', lt)) {
    const end = xml.indexOf(']]>', lt + 9);
    if (end === -1 || !inRoot) throw corrupt(part, 'a misplaced or unterminated CDATA section');
    visitor.text(xml.slice(lt + 9, end));
    return end + 3;
  }
  throw corrupt(part, 'a document type declaration, which Office files never contain');
}

/** Index of the tag's closing '>', stepping over quoted attribute values (which may hold '>'). */
function tagEnd(xml: string, from: number, part: string): number {
  for (let at = from; at < xml.length; at++) {
    const code = xml.charCodeAt(at);
    if (code === GT) return at;
    if (code === LT) throw corrupt(part, "a '<' inside a tag");
    if (code === 0x22 || code === 0x27) {
      const close = xml.indexOf(code === 0x22 ? '"' : "'", at + 1);
      if (close === -1) break;
      at = close;
    }
  }
  throw corrupt(part, 'an unterminated tag');
}

/** Length of the leading XML name (letters, digits, '_', ':', '-', '.', anything non-ASCII). */
function nameLength(inner: string): number {
  let at = 0;
  for (; at < inner.length; at++) {
    const code = inner.charCodeAt(at);
    const nameChar =
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x41 && code <= 0x5a) ||
      code === 0x5f ||
      code === 0x3a ||
      code > 0x7f ||
      (at > 0 && ((code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2e));
    if (!nameChar) break;
  }
  if (at < inner.length && !/\s/.test(inner.charAt(at))) return 0;
  return at;
}

const ATTRIBUTE_CACHE = new Map<string, RegExp>();

/** One attribute's decoded value from a tag's raw attribute source, or undefined. */
export function attribute(source: string, name: string): string | undefined {
  if (source.length === 0) return undefined;
  let pattern = ATTRIBUTE_CACHE.get(name);
  if (!pattern) {
    pattern = new RegExp(`(?:^|\\s)${name.replace(/[.:-]/g, '\\$&')}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
    ATTRIBUTE_CACHE.set(name, pattern);
  }
  const match = pattern.exec(source);
  if (!match) return undefined;
  return decodeXmlText(match[1] ?? match[2] ?? '');
}

const ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(lt|gt|amp|quot|apos));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML's five entities and character references; an unknown one stays as written, as xmldom leaves it. */
export function decodeXmlText(raw: string): string {
  if (raw.indexOf(String.fromCharCode(AMP)) === -1) return raw;
  return raw.replace(ENTITY, (whole, hex: string | undefined, decimal: string | undefined, named) => {
    if (named) return NAMED[named as string] ?? whole;
    const code = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
    return code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
  });
}

function corrupt(part: string, why: string): ParseError {
  return new ParseError('corrupt_file', `The Word document's ${part} is damaged XML: ${why}.`);
}
