import {
  int32At,
  stringAt,
  type CharacterClass,
  type IpadicDictionary,
  type WordEntries,
} from './ipadic-dictionary.js';
import type { MorphToken, MorphTokenizer } from './morph.js';
import { MAX_COST, NO_NODE, ViterbiLattice } from './viterbi-lattice.js';

/**
 * kuromoji's segmentation, rebuilt for speed over kuromoji's IPADIC files (ipadic-dictionary.ts):
 * the sentence is encoded to UTF-8 once and the double-array trie is walked in place (kuromoji
 * re-encodes the rest of the sentence and allocates a key string for every match), the lattice
 * lives in typed arrays (viterbi-lattice.ts), words that can never win are left out of it (the
 * dictionary's `withoutOutranked`) and of each position's predecessors (`closePosition`), and a
 * known word's features are decoded once per dictionary entry instead of once per token. The
 * result is token for token kuromoji's: the same sentence split at 、 and 。, the same lattice in
 * the same order (ties go to the same node), the same unknown-word grouping, the same forward pass
 * with its quirks (ipadic-viterbi.test.ts compares the two).
 */

const PUNCTUATION = /、|。/;

/** One dictionary's words: a trie value (or a character class) → words, with their ids and costs. */
class WordTable {
  readonly offsets: Int32Array;
  readonly ids: Int32Array;
  readonly lefts: Int16Array;
  readonly rights: Int16Array;
  readonly costs: Int16Array;

  constructor(private readonly source: WordEntries) {
    this.offsets = source.offsets;
    this.ids = source.ids;
    this.lefts = source.lefts;
    this.rights = source.rights;
    this.costs = source.costs;
  }

  /** kuromoji's getFeatures, split. */
  features(id: number): string[] {
    return stringAt(this.source.features, int32At(this.source.entries, id + 6)).split(',');
  }
}

export class IpadicViterbi implements MorphTokenizer {
  private readonly base: Int32Array;
  private readonly check: Int32Array;
  private readonly costs: Int16Array;
  private readonly knownWords: WordTable;
  private readonly unknownWords: WordTable;
  private readonly categories: Uint8Array;
  private readonly classes: readonly CharacterClass[];
  private readonly defaultClass: number;
  private readonly knownTokens = new Map<number, MorphToken>();
  private readonly unknownFeatures = new Map<number, string[]>();
  private readonly lattice: ViterbiLattice;
  private bytes = new Uint8Array(1024);
  /** Per code point: its UTF-16 offset and UTF-8 offset; per UTF-8 offset: the UTF-16 offset. */
  private unitAt = new Int32Array(256);
  private byteAt = new Int32Array(256);
  private unitAtByte = new Int32Array(1024);
  private classAt = new Int32Array(256);
  private runEnd = new Int32Array(256);

  constructor(dictionary: IpadicDictionary) {
    this.base = dictionary.base;
    this.check = dictionary.check;
    this.costs = dictionary.costs;
    this.knownWords = new WordTable(dictionary.known);
    this.unknownWords = new WordTable(dictionary.unknown);
    this.categories = dictionary.categories;
    this.classes = dictionary.classes;
    this.defaultClass = dictionary.defaultClass;
    // costs[0] and costs[1]: the matrix's right ids and its row length (ipadic-dictionary.ts).
    this.lattice = new ViterbiLattice(dictionary.costs[0]!, dictionary.costs[1]!);
  }

  tokenize(text: string): MorphToken[] {
    const tokens: MorphToken[] = [];
    let tail = text;
    while (tail !== '') {
      const index = tail.search(PUNCTUATION);
      if (index < 0) {
        this.tokenizeSentence(tail, tokens);
        break;
      }
      this.tokenizeSentence(tail.substring(0, index + 1), tokens);
      tail = tail.substring(index + 1);
    }
    return tokens;
  }

  private tokenizeSentence(sentence: string, out: MorphToken[]): void {
    const points = this.encode(sentence);
    const lattice = this.lattice;
    // No node ends past the sentence's UTF-16 length (a position counts code points, a length units).
    lattice.reset(sentence.length);
    lattice.add(-1, 0, 0, 1, 0, 0, 0, 0); // BOS, alone at position 0 (kuromoji's nodes_end_at[0])
    lattice.lastEnd = 1;
    for (let pos = 0; pos < points; pos++) this.addWordsAt(pos, points);
    const eosPrev = this.forward();
    if (eosPrev === NO_NODE) return;
    const path: number[] = [];
    let node = eosPrev;
    while (node !== 0) {
      path.push(node);
      node = lattice.prev[node]!;
      if (node === NO_NODE) return;
    }
    for (let i = path.length - 1; i >= 0; i--) out.push(this.token(sentence, path[i]!));
  }

  /** Encodes the sentence to UTF-8 and maps code points ↔ UTF-16 ↔ UTF-8 offsets; returns the code point count. */
  private encode(sentence: string): number {
    const n = sentence.length;
    if (this.bytes.length < n * 3 + 4) {
      this.bytes = new Uint8Array(n * 6 + 4);
      this.unitAtByte = new Int32Array(n * 6 + 4);
    }
    if (this.unitAt.length < n + 2) {
      this.unitAt = new Int32Array(n * 2 + 2);
      this.byteAt = new Int32Array(n * 2 + 2);
      this.classAt = new Int32Array(n * 2 + 2);
      this.runEnd = new Int32Array(n * 2 + 2);
    }
    const { bytes, unitAt, byteAt, unitAtByte, classAt } = this;
    let points = 0;
    let b = 0;
    for (let i = 0; i < n;) {
      const unit = i;
      let code = sentence.charCodeAt(i++);
      // Half a pair alone is one unit of its own, as in well-formed text every unit outside a pair is.
      const low = i < n ? sentence.charCodeAt(i) : 0;
      const pair = code >= 0xd800 && code <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
      if (pair) {
        code = (code - 0xd800) * 0x400 + 0x10000 + (low - 0xdc00);
        i++;
      }
      unitAt[points] = unit;
      byteAt[points] = b;
      // kuromoji's CharacterDefinition.lookup: characters outside the BMP are DEFAULT.
      classAt[points] = pair || code >= this.categories.length ? this.defaultClass : this.categories[code]!;
      unitAtByte[b] = unit;
      if (code < 0x80) bytes[b++] = code;
      else if (code < 0x800) {
        bytes[b++] = (code >>> 6) | 0xc0;
        bytes[b++] = (code & 0x3f) | 0x80;
      } else if (code < 0x10000) {
        bytes[b++] = (code >>> 12) | 0xe0;
        bytes[b++] = ((code >> 6) & 0x3f) | 0x80;
        bytes[b++] = (code & 0x3f) | 0x80;
      } else {
        bytes[b++] = (code >>> 18) | 0xf0;
        bytes[b++] = ((code >> 12) & 0x3f) | 0x80;
        bytes[b++] = ((code >> 6) & 0x3f) | 0x80;
        bytes[b++] = (code & 0x3f) | 0x80;
      }
      points++;
    }
    unitAt[points] = n;
    byteAt[points] = b;
    unitAtByte[b] = n;
    // Where each position's run of one character class ends (unknown-word grouping).
    this.runEnd[points] = points;
    for (let p = points - 1; p >= 0; p--)
      this.runEnd[p] = p + 1 < points && classAt[p + 1] === classAt[p] ? this.runEnd[p + 1]! : p + 1;
    return points;
  }

  /**
   * kuromoji's ViterbiSearcher.forward, in its order (by end position) and with its quirks: a node
   * whose start has no predecessors is skipped (no prev), and a node none of whose predecessors is
   * reachable gets the predecessor chosen last for any earlier node (kuromoji's `var` is not reset
   * per node). Both happen only where a surrogate pair's length overshoots the lattice positions.
   * Returns EOS's predecessor.
   */
  private forward(): number {
    const l = this.lattice;
    const { costs } = this;
    l.openPredecessors();
    const { head, next, start, left, wordCost, cost, prev, predFrom, predTo, predNode, predCost, predRow } =
      l;
    let chosen = NO_NODE;
    l.closePosition(0);
    // The last pass (end = lastEnd + 1) is EOS's: it starts there, with left id 0 and cost 0.
    for (let end = 1; end <= l.lastEnd + 1; end++) {
      const eos = end > l.lastEnd;
      for (let node = eos ? 0 : head[end]!; node !== NO_NODE; node = eos ? NO_NODE : next[node]!) {
        const from = (eos ? end : start[node]!) - 1;
        const first = predFrom[from]!;
        const last = predTo[from]!;
        if (first === last) {
          if (eos) return NO_NODE;
          continue;
        }
        const column = (eos ? 0 : left[node]!) + 2;
        const own = eos ? 0 : wordCost[node]!;
        let best = MAX_COST;
        for (let p = first; p < last; p++) {
          const c = predCost[p]! + costs[predRow[p]! + column]! + own;
          if (c < best) {
            best = c;
            chosen = predNode[p]!;
          }
        }
        if (eos) return chosen;
        cost[node] = best;
        prev[node] = chosen;
      }
      if (!eos) l.closePosition(end);
    }
    return NO_NODE;
  }

  /** Adds word w of the table (an index into its lists) to the lattice. */
  private append(
    w: number,
    known: number,
    pos: number,
    length: number,
    until: number,
    table: WordTable,
  ): void {
    this.lattice.add(
      table.ids[w]!,
      known,
      pos + 1,
      length,
      table.lefts[w]!,
      table.rights[w]!,
      table.costs[w]!,
      until,
    );
  }

  private addWordsAt(pos: number, points: number): void {
    const { base, check, bytes, unitAtByte, knownWords } = this;
    const from = this.byteAt[pos]!;
    const to = this.byteAt[points]!;
    const startUnit = this.unitAt[pos]!;
    let matches = 0;
    let parent = 0;
    for (let i = from; i < to; i++) {
      const child = base[parent]! + bytes[i]!;
      if (child < 0 || child >= check.length || check[child] !== parent) break;
      parent = child;
      const leaf = base[child]!; // terminal code 0: the grand child sits at base + 0
      if (leaf < 0 || leaf >= check.length || check[leaf] !== child) continue;
      matches++;
      const value = base[leaf]!;
      if (value > 0) continue;
      const trieId = -value - 1;
      const length = unitAtByte[i + 1]! - startUnit;
      const first = knownWords.offsets[trieId]!;
      const last = knownWords.offsets[trieId + 1]!;
      for (let w = first; w < last; w++) this.append(w, 1, pos, length, 0, knownWords);
    }
    const classId = this.classAt[pos]!;
    const headClass = this.classes[classId]!;
    if (matches > 0 && !headClass.alwaysInvoke) return;
    // As kuromoji: a lone character counts as length 1 even when it is a surrogate pair.
    let length = 1;
    let end = pos + 1;
    if (headClass.grouping && this.runEnd[pos]! > end) {
      end = this.runEnd[pos]!;
      length = this.unitAt[end]! - startUnit;
    }
    const until = this.unitAt[end]!;
    const unknown = this.unknownWords;
    const first = unknown.offsets[classId]!;
    const last = unknown.offsets[classId + 1]!;
    for (let w = first; w < last; w++) this.append(w, 0, pos, length, until, unknown);
  }

  private token(sentence: string, node: number): MorphToken {
    const l = this.lattice;
    const word = l.word[node]!;
    if (l.known[node] === 1) {
      let token = this.knownTokens.get(word);
      if (token === undefined) {
        const f = this.knownWords.features(word);
        token = morphToken(f[0]!, f, true);
        this.knownTokens.set(word, token);
      }
      return token;
    }
    let features = this.unknownFeatures.get(word);
    if (features === undefined) {
      features = this.unknownWords.features(word);
      this.unknownFeatures.set(word, features);
    }
    // An unknown word's surface is its key (kuromoji's surface_form).
    const from = this.unitAt[l.start[node]! - 1]!;
    return morphToken(sentence.slice(from, l.until[node]!), features, false);
  }
}

function morphToken(surface: string, f: string[], known: boolean): MorphToken {
  return Object.freeze({
    surface,
    baseForm: f[7]!,
    pos: f[1]!,
    posDetail: f[2]!,
    posDetail2: f[3],
    posDetail3: f[4],
    known,
  });
}
