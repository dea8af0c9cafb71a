/**
 * Without a name, Markdown is only recognisable by its headings: a file that opens with one, or
 * has two or more. Treating a borderline text file as Markdown costs nothing (its text survives).
 */
export function looksLikeMarkdown(text: string): boolean {
  const head = text.slice(0, 16 * 1024);
  if (/^#{1,6}[ \t]+\S/.test(head)) return true;
  return (head.match(/^#{1,6}[ \t]+\S/gm)?.length ?? 0) >= 2;
}
