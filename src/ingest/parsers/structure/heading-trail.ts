/** Separator of a heading path ("第3章 > 3.2 経費"): what the brief and the citations show. */
export const HEADING_SEPARATOR = ' > ';

/**
 * The headings above the current position. A heading of level n closes every open heading of level
 * ≥ n, so skipped levels (h1 → h3) and documents that start at h2 still give sensible paths.
 */
export class HeadingTrail {
  private readonly open: { level: number; text: string }[] = [];

  enter(level: number, text: string): void {
    while (this.open.length > 0 && (this.open.at(-1)?.level ?? 0) >= level) this.open.pop();
    const clean = text.replace(/\s+/g, ' ').trim();
    if (clean) this.open.push({ level, text: clean });
  }

  path(): string | undefined {
    return this.open.length > 0
      ? this.open.map((heading) => heading.text).join(HEADING_SEPARATOR)
      : undefined;
  }
}
