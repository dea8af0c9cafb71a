const MARKER = /[[［]\s*([0-9０-９]{1,3}(?:\s*[,，、]\s*[0-9０-９]{1,3})*)\s*[\]］]/gu;
const OPENER = /[[［]/gu;
/** The longest marker worth waiting for ("[12, 13, 14]"). */
const MAX_MARKER = 16;

export interface ScannedText {
  /** The text with valid markers renumbered and invalid ones removed. */
  text: string;
  /** Sources cited for the first time in this text, in order: the prompt's number and the shown one. */
  firstCited: { source: number; n: number }[];
}

const toNumber = (digits: string) =>
  Number(digits.replace(/[０-９]/gu, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)));

/**
 * Reads the `[n]` markers of a streamed answer. A marker naming a source the prompt did not contain
 * is dropped; valid ones are renumbered in order of first citation ([3] first → [1]), so the
 * answer's markers and its citation list always agree. A marker split across deltas is held back
 * until it is complete; flush() at the end.
 */
export class CitationMarkers {
  private pending = '';
  private readonly shown = new Map<number, number>();

  constructor(private sourceCount: number) {}

  /** More sources joined the answer (a tool call retrieved them): their numbers become valid. */
  allow(sourceCount: number): void {
    this.sourceCount = Math.max(this.sourceCount, sourceCount);
  }

  push(delta: string): ScannedText {
    const text = this.pending + delta;
    const hold = holdFrom(text);
    this.pending = text.slice(hold);
    return this.rewrite(text.slice(0, hold));
  }

  flush(): ScannedText {
    const rest = this.pending;
    this.pending = '';
    return this.rewrite(rest);
  }

  get citedCount(): number {
    return this.shown.size;
  }

  private rewrite(text: string): ScannedText {
    const firstCited: ScannedText['firstCited'] = [];
    const out = text.replace(MARKER, (_whole, list: string) =>
      list
        .split(/\s*[,，、]\s*/u)
        .map(toNumber)
        .filter((source) => Number.isInteger(source) && source >= 1 && source <= this.sourceCount)
        .map((source) => {
          let n = this.shown.get(source);
          if (n === undefined) {
            n = this.shown.size + 1;
            this.shown.set(source, n);
            firstCited.push({ source, n });
          }
          return `[${n}]`;
        })
        .filter((marker, i, all) => all.indexOf(marker) === i)
        .join(''),
    );
    return { text: out, firstCited };
  }
}

/** Where an incomplete marker may start near the end of the text; text.length when none. */
function holdFrom(text: string): number {
  const from = Math.max(0, text.length - MAX_MARKER);
  OPENER.lastIndex = from;
  let open = -1;
  for (let m = OPENER.exec(text); m !== null; m = OPENER.exec(text)) open = m.index;
  if (open < 0 || /[\]］]/u.test(text.slice(open))) return text.length;
  return open;
}
