/** Header names that only mail (RFC 5322 / MIME) puts at the top of a file. */
const MAIL_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'received',
  'return-path',
  'reply-to',
  'delivered-to',
  'in-reply-to',
  'references',
  'x-mailer',
]);
const HEAD_BYTES = 32 * 1024;

/**
 * An RFC 822 message starts with a block of `Name: value` lines (continuations indented) ending at
 * the first empty line. Ask for that shape plus a From/Received-style header and a second mail
 * header, so a text note that happens to start with "Subject:" stays text; a `.eml` name lowers the
 * bar to one mail header.
 */
export function looksLikeEmail(bytes: Buffer, extension: string): boolean {
  const head = bytes.subarray(0, HEAD_BYTES).toString('latin1');
  const blank = head.search(/\r?\n\r?\n/);
  const block = blank === -1 ? head : head.slice(0, blank);
  const lines = block.split(/\r?\n/);
  if (lines.length === 0 || lines[0] === '') return false;
  const names = new Set<string>();
  for (const line of lines) {
    if (/^[ \t]/.test(line)) continue; // folded continuation of the previous header
    const match = /^([\x21-\x39\x3b-\x7e]+):/.exec(line);
    if (!match?.[1]) return false;
    names.add(match[1].toLowerCase());
  }
  const known = [...names].filter((name) => MAIL_HEADERS.has(name)).length;
  if (extension === 'eml') return known >= 1;
  const hasOrigin = names.has('from') || names.has('received') || names.has('return-path');
  return hasOrigin && known >= 2;
}
