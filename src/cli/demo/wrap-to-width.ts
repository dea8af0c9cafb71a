/** A run of Latin letters, digits and the punctuation inside addresses: broken only where it must. */
const LATIN_WORD = /[\w.,:/@%+-]+|[^]/gu;

/**
 * Splits a paragraph into printed lines as a layout engine does: each line as full as the width
 * allows, whatever its characters (a digit or a Latin letter is half as wide as a kanji in a
 * Japanese font), a Latin word or an address moved whole to the next line unless it is longer
 * than a line. Kura's PDF reader joins a line to the next only when it reaches its column's edge,
 * so a generated PDF must wrap by width, not by a count of characters.
 */
export function wrapToWidth(
  paragraph: string,
  lineWidth: number,
  widthOf: (character: string) => number,
): string[] {
  const lines: string[] = [];
  let line = '';
  let width = 0;
  const add = (character: string) => {
    const advance = widthOf(character);
    if (line !== '' && width + advance > lineWidth + 0.01) {
      lines.push(line);
      [line, width] = ['', 0];
    }
    line += character;
    width += advance;
  };
  for (const [unit] of paragraph.matchAll(LATIN_WORD)) {
    const characters = [...unit];
    const unitWidth = characters.reduce((sum, character) => sum + widthOf(character), 0);
    if (
      line !== '' &&
      characters.length > 1 &&
      unitWidth <= lineWidth &&
      width + unitWidth > lineWidth + 0.01
    ) {
      lines.push(line);
      [line, width] = ['', 0];
    }
    characters.forEach(add);
  }
  return [...lines, line];
}
