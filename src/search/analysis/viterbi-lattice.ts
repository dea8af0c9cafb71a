export const NO_NODE = -1;
export const MAX_COST = Number.MAX_VALUE;

/**
 * The lattice of one sentence in typed arrays (IpadicViterbi's); node 0 is BOS. Nodes are listed
 * by the position they end at, in the order kuromoji appends them. Once every node ending at a
 * position has its cost, `closePosition` lists that position's candidate predecessors: of the
 * nodes with one right id, only the cheapest (the earliest on a tie) can win any later
 * comparison, so the others are left out (a quarter of the comparisons, on Japanese prose).
 */
export class ViterbiLattice {
  size = 0;
  word = new Int32Array(1024);
  known = new Uint8Array(1024);
  start = new Int32Array(1024);
  length = new Int32Array(1024);
  left = new Int32Array(1024);
  right = new Int32Array(1024);
  wordCost = new Int32Array(1024);
  cost = new Float64Array(1024);
  prev = new Int32Array(1024);
  /** An unknown word's surface ends here (UTF-16 offset); its `length` is kuromoji's, which can differ. */
  until = new Int32Array(1024);
  /** Nodes ending at a position, in the order kuromoji appends them: head, tail, next. */
  head = new Int32Array(256);
  tail = new Int32Array(256);
  next = new Int32Array(1024);
  /** Highest position any node ends at (kuromoji's eos_pos before the EOS node). */
  lastEnd = 1;

  /** A closed position's predecessors: entries predFrom[p] up to predTo[p] of the three lists below. */
  predFrom = new Int32Array(256);
  predTo = new Int32Array(256);
  predNode = new Int32Array(1024);
  predCost = new Float64Array(1024);
  /** The predecessor's right id times the cost matrix's row length: its row, ready to index. */
  predRow = new Int32Array(1024);
  private predSize = 0;
  /** Per right id: the position it was last seen at (a stamp) and its cheapest node there. */
  private readonly seenAt: Int32Array;
  private readonly cheapest: Int32Array;
  private stamp = 0;

  constructor(
    rightIds: number,
    private readonly rowLength: number,
  ) {
    this.seenAt = new Int32Array(rightIds);
    this.cheapest = new Int32Array(rightIds);
  }

  reset(positions: number): void {
    if (this.head.length < positions + 2) this.growPositions(positions * 2);
    this.head.fill(NO_NODE, 0, positions + 2);
    this.size = 0;
    this.lastEnd = 1;
  }

  add(
    word: number,
    known: number,
    start: number,
    length: number,
    left: number,
    right: number,
    wordCost: number,
    until: number,
  ): void {
    if (this.size === this.word.length) this.grow();
    const node = this.size++;
    this.word[node] = word;
    this.known[node] = known;
    this.start[node] = start;
    this.length[node] = length;
    this.left[node] = left;
    this.right[node] = right;
    this.wordCost[node] = wordCost;
    this.cost[node] = node === 0 ? 0 : MAX_COST;
    this.prev[node] = NO_NODE;
    this.until[node] = until;
    this.next[node] = NO_NODE;
    const end = start + length - 1;
    if (end >= this.head.length) this.growPositions(end);
    if (this.head[end] === NO_NODE) this.head[end] = node;
    else this.next[this.tail[end]!] = node;
    this.tail[end] = node;
    if (end > this.lastEnd) this.lastEnd = end;
  }

  /** Before the forward pass: room for every node in the predecessor lists, which then stay put. */
  openPredecessors(): void {
    if (this.predNode.length < this.size) this.growPredecessors(this.size);
    this.predSize = 0;
  }

  /** Lists the position's predecessors, keeping the list order; its nodes' costs are final. */
  closePosition(position: number): void {
    const { head, next, right, cost, seenAt, cheapest } = this;
    if (++this.stamp === 0x40000000) {
      seenAt.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    for (let node = head[position]!; node !== NO_NODE; node = next[node]!) {
      const r = right[node]!;
      if (seenAt[r] !== stamp) {
        seenAt[r] = stamp;
        cheapest[r] = node;
      } else if (cost[node]! < cost[cheapest[r]!]!) cheapest[r] = node;
    }
    let at = this.predSize;
    this.predFrom[position] = at;
    for (let node = head[position]!; node !== NO_NODE; node = next[node]!) {
      const r = right[node]!;
      if (cheapest[r] !== node) continue;
      this.predNode[at] = node;
      this.predCost[at] = cost[node]!;
      this.predRow[at] = r * this.rowLength;
      at++;
    }
    this.predTo[position] = at;
    this.predSize = at;
  }

  private grow(): void {
    const n = this.word.length * 2;
    this.word = resized(this.word, n);
    this.known = resized(this.known, n);
    this.start = resized(this.start, n);
    this.length = resized(this.length, n);
    this.left = resized(this.left, n);
    this.right = resized(this.right, n);
    this.wordCost = resized(this.wordCost, n);
    this.cost = resized(this.cost, n);
    this.prev = resized(this.prev, n);
    this.until = resized(this.until, n);
    this.next = resized(this.next, n);
  }

  private growPredecessors(least: number): void {
    const n = Math.max(least, this.predNode.length * 2);
    this.predNode = resized(this.predNode, n);
    this.predCost = resized(this.predCost, n);
    this.predRow = resized(this.predRow, n);
  }

  /** A key with a surrogate pair counts its UTF-16 length (as kuromoji), so ends can pass the sentence. */
  private growPositions(end: number): void {
    const n = end * 2 + 2;
    const head = new Int32Array(n).fill(NO_NODE);
    head.set(this.head);
    this.head = head;
    this.tail = resized(this.tail, n);
    this.predFrom = resized(this.predFrom, n);
    this.predTo = resized(this.predTo, n);
  }
}

function resized<T extends Int32Array | Uint8Array | Float64Array>(array: T, length: number): T {
  const copy = new (array.constructor as new (n: number) => T)(length);
  copy.set(array);
  return copy;
}
