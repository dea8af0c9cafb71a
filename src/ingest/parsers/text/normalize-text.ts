/**
 * The only normalisation done at parse time: one line-ending convention and no characters that
 * storage rejects (PostgreSQL text cannot hold NUL). No NFKC or width folding here: search runs its
 * own analysis, and citations must show the document's own characters.
 */
export function normalizeText(text: string): string {
  return normalizeInlineText(text).replace(/[ \t]+$/gm, '');
}

/**
 * The same for a piece of a line (a run of a Word paragraph): its trailing spaces are not a line's
 * end, so they stay for whoever joins the pieces.
 */
export function normalizeInlineText(text: string): string {
  return (
    text
      .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
      .replace(/\f|\v/g, '\n')
      // C0/C1 controls other than tab and newline carry no text (ESC survives only in undecoded JIS).
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufeff]/g, '')
  );
}
