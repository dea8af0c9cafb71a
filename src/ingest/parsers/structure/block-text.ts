/**
 * Builds a section's text from inline runs and block boundaries, the way a reader sees it: a
 * paragraph boundary is a blank line, a line boundary (list item, table row, <br>) one newline.
 * The chunker prefers blank lines over sentence ends over single newlines, so this distinction is
 * what lets it split between paragraphs rather than inside them.
 */
export class BlockText {
  private readonly parts: string[] = [];
  private pending: '' | '\n' | '\n\n' = '';
  private lineHasText = false;

  /** Inline text; whitespace is the caller's business (HTML collapses it, <pre> keeps it). */
  append(text: string): void {
    if (text === '') return;
    if (!this.lineHasText) {
      text = text.replace(/^[ \t]+/, '');
      if (text === '') return;
    }
    if (this.pending && this.parts.length > 0) this.parts.push(this.pending);
    this.pending = '';
    this.parts.push(text);
    this.lineHasText = !text.endsWith('\n');
  }

  /** A space between inline pieces, unless one is already there (cells of a row, words of a heading). */
  softSpace(): void {
    const last = this.parts.at(-1);
    if (!this.lineHasText || this.pending || last === undefined || /\s$/.test(last)) return;
    this.parts.push(' ');
  }

  /** Text that separates inline pieces (" | " between cells): trailing spaces before it go. */
  separator(text: string): void {
    const last = this.parts.at(-1);
    if (this.lineHasText && !this.pending && last !== undefined)
      this.parts[this.parts.length - 1] = last.replace(/[ \t]+$/, '');
    this.append(text);
  }

  lineBreak(): void {
    if (this.pending !== '\n\n') this.pending = '\n';
    this.lineHasText = false;
  }

  paragraphBreak(): void {
    this.pending = '\n\n';
    this.lineHasText = false;
  }

  isEmpty(): boolean {
    return this.parts.length === 0;
  }

  toString(): string {
    return this.parts
      .join('')
      .replace(/[ \t]+\n/g, '\n')
      .trim();
  }
}
