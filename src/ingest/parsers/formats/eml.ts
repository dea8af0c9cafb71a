import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';
import type { ParsedDocument, ParsedSection } from '../parsed-document.js';
import { ParseError } from '../parse-error.js';
import { safeFileName } from '../file-name.js';
import { htmlToSections } from '../structure/html-sections.js';
import { loadHtml } from '../structure/load-html.js';
import { joinFixedWidthWraps } from '../text/fixed-width-wraps.js';
import { normalizeText } from '../text/normalize-text.js';
import type { FormatContext, FormatResult } from './format-result.js';

/** A mail can carry thousands of parts; past this many the rest are recorded as skipped. */
const MAX_ATTACHMENTS = 100;

export type ParseNested = (bytes: Buffer, fileName: string | undefined) => Promise<ParsedDocument>;

/**
 * E-mail (.eml) via mailparser: subject as title, from/to/cc/date as metadata, the body as one
 * section, and attachments parsed like any other file (same limits, one level deeper) — an
 * attachment that fails is a warning on the mail, not a failed mail.
 */
export async function parseEml(
  bytes: Buffer,
  context: FormatContext,
  parseNested: ParseNested,
): Promise<FormatResult> {
  const mail = await simpleParser(bytes, {
    skipImageLinks: true,
    skipTextLinks: true,
    skipTextToHtml: true,
  });
  context.signal.throwIfAborted();
  const title = mail.subject ? normalizeText(mail.subject).trim() : undefined;
  const metadata: Record<string, string> = {};
  const from = addresses(mail.from);
  const to = addresses(mail.to);
  const cc = addresses(mail.cc);
  if (from) metadata.from = from;
  if (to) metadata.to = to;
  if (cc) metadata.cc = cc;
  if (mail.date && !Number.isNaN(mail.date.getTime())) metadata.date = mail.date.toISOString();
  if (mail.messageId) metadata.messageId = mail.messageId;

  let sections: ParsedSection[] = [];
  // Japanese mail is wrapped at a fixed width, inside words as often as not (fixed-width-wraps.ts).
  const text = joinFixedWidthWraps(normalizeText(mail.text ?? '')).trim();
  if (text) sections = [{ text, anchor: {} }];
  else if (typeof mail.html === 'string' && mail.html) {
    const $ = loadHtml(normalizeText(mail.html));
    const nodes = $('body').length > 0 ? $('body').contents().toArray() : $.root().contents().toArray();
    sections = htmlToSections(nodes);
  }
  if (sections.length === 0 && title) sections = [{ text: title, anchor: {} }];

  const warnings: string[] = [];
  const attachments: ParsedDocument[] = [];
  const files = mail.attachments.filter((attachment) => !attachment.related); // inline images of the HTML body
  for (const [index, attachment] of files.entries()) {
    const name = safeFileName(attachment.filename)?.baseName ?? `attachment ${index + 1}`;
    if (index >= MAX_ATTACHMENTS) {
      warnings.push(
        `${files.length - MAX_ATTACHMENTS} more attachments were not parsed (limit ${MAX_ATTACHMENTS}).`,
      );
      break;
    }
    if (context.depth + 1 > context.limits.maxAttachmentDepth) {
      warnings.push(
        `Attachment "${name}" was not parsed: attachments nest deeper than ${context.limits.maxAttachmentDepth}.`,
      );
      continue;
    }
    try {
      attachments.push(await parseNested(attachment.content, attachment.filename));
    } catch (error) {
      if (!(error instanceof ParseError) || error.code === 'parse_timeout') throw error;
      warnings.push(`Attachment "${name}" was skipped (${error.code}): ${error.message}`);
    }
  }
  if (files.length > 0) metadata.attachments = String(files.length);
  return { sections, attachments, metadata, warnings, ...(title ? { title } : {}) };
}

/** "山田太郎 <yamada@example.co.jp>, sato@example.co.jp": names decoded, no quoting. */
function addresses(value: AddressObject | AddressObject[] | undefined): string | undefined {
  if (!value) return undefined;
  const format = (entries: EmailAddress[]): string[] =>
    entries.flatMap((entry) => {
      if (entry.group) return format(entry.group);
      const address = entry.address ?? '';
      return [entry.name ? (address ? `${entry.name} <${address}>` : entry.name) : address];
    });
  const text = format((Array.isArray(value) ? value : [value]).flatMap((object) => object.value))
    .filter((part) => part !== '')
    .join(', ');
  return normalizeText(text).trim() || undefined;
}
