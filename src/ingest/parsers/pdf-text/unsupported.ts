/**
 * Thrown when the fast path meets anything it does not fully understand (encryption, an exotic
 * font, a damaged cross-reference table, a limit reached…). The caller then hands the file to
 * pdf.js, which reads more of the format and repairs what it can. The fast path never guesses.
 */
export class UnsupportedPdf extends Error {
  override readonly name = 'UnsupportedPdf';
}

export function unsupported(reason: string): never {
  throw new UnsupportedPdf(reason);
}
