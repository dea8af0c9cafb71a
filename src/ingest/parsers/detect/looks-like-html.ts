const HEAD_CHARS = 4096;

/** HTML by content: a doctype or html/head/body element near the top; a `.htm(l)` name accepts any tag. */
export function looksLikeHtml(text: string, extension: string): boolean {
  const head = text.slice(0, HEAD_CHARS).replace(/^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*/, '');
  if (/^<!doctype\s+html/i.test(head)) return true;
  if (/<(?:html|head|body)[\s>]/i.test(head)) return true;
  return ['html', 'htm', 'xhtml'].includes(extension) && /<[a-z][a-z0-9]*[\s>/]/i.test(head);
}
