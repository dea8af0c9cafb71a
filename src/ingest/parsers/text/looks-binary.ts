/**
 * After decoding, is this still text? Unknown binaries (archives, media, databases) decode to
 * control characters and replacement characters; a text file, even a damaged one, has few.
 */
const SAMPLE_CHARS = 64 * 1024;

export function looksBinary(text: string, replacements: number): boolean {
  const sample = text.slice(0, SAMPLE_CHARS);
  if (sample.length === 0) return false;
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const controls = sample.match(/[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/g)?.length ?? 0;
  if (controls > Math.max(2, sample.length * 0.01)) return true;
  const ratio = Math.min(replacements, text.length) / text.length;
  return replacements > 8 && ratio > 0.05;
}
