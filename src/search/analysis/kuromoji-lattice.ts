import { createRequire } from 'node:module';

/**
 * A drop-in for kuromoji's ViterbiBuilder.build that gives the same lattice in linear time.
 * kuromoji looks up every position with the whole rest of the sentence: it converts that tail to
 * UTF-8 for the trie and re-scans it for surrogate pairs, which is quadratic in the sentence
 * length and was most of the analyser's time. No IPADIC entry is longer than 26 UTF-16 units, so
 * a 32-unit key finds exactly the same words; unknown words walk the sentence in place. The
 * product segments with IpadicViterbi; this keeps kuromoji itself, the reference IpadicViterbi is
 * compared with (ipadic-viterbi.test.ts), fast enough to run over every benchmark paragraph.
 */
const MAX_WORD_UNITS = 32;

const require = createRequire(import.meta.url);
type NodeCtor = new (...args: unknown[]) => unknown;
const ViterbiNode = require('kuromoji/src/viterbi/ViterbiNode.js') as NodeCtor;
const ViterbiLattice = require('kuromoji/src/viterbi/ViterbiLattice.js') as new () => {
  append(node: unknown): void;
  appendEos(): void;
};
const SurrogateAwareString = require('kuromoji/src/util/SurrogateAwareString.js') as new (text: string) => {
  str: string;
  length: number;
  index_mapping: number[];
  charAt(index: number): string;
};

interface Dictionary {
  dictionary: { getShort(offset: number): number };
  target_map: Record<number, number[]>;
}
interface Builder {
  trie: { commonPrefixSearch(key: string): { k: string; v: number }[] };
  token_info_dictionary: Dictionary;
  unknown_dictionary: Dictionary & {
    lookup(ch: string): {
      class_id: number;
      class_name: string;
      is_always_invoke: number;
      is_grouping: number;
    };
  };
  build(text: string): unknown;
}

/** Replaces `build` on one tokenizer's ViterbiBuilder (the tokenizer kuromoji.builder() returned). */
export function installLinearLattice(tokenizer: unknown): void {
  const builder = (tokenizer as { viterbi_builder: Builder }).viterbi_builder;
  builder.build = (text: string) => buildLattice(builder, text);
}

/** The next MAX_WORD_UNITS units, never ending on half a surrogate pair (the trie cannot encode one). */
function prefixKey(text: string, start: number): string {
  const key = text.slice(start, start + MAX_WORD_UNITS);
  const last = key.charCodeAt(key.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? key.slice(0, -1) : key;
}

function buildLattice(builder: Builder, text: string): unknown {
  const lattice = new ViterbiLattice();
  const sentence = new SurrogateAwareString(text);
  const known = builder.token_info_dictionary;
  const unknown = builder.unknown_dictionary;
  for (let pos = 0; pos < sentence.length; pos++) {
    const start = sentence.index_mapping[pos]!;
    const vocabulary = builder.trie.commonPrefixSearch(prefixKey(sentence.str, start));
    for (const { k: key, v: trieId } of vocabulary) {
      for (const id of known.target_map[trieId]!) {
        const tokenId = Number(id);
        const d = known.dictionary;
        lattice.append(
          new ViterbiNode(
            tokenId,
            d.getShort(tokenId + 4),
            pos + 1,
            key.length,
            'KNOWN',
            d.getShort(tokenId),
            d.getShort(tokenId + 2),
            key,
          ),
        );
      }
    }
    const head = sentence.charAt(pos);
    const headClass = unknown.lookup(head);
    if (vocabulary.length > 0 && headClass.is_always_invoke !== 1) continue;
    // As kuromoji: a lone character counts as length 1 even when it is a surrogate pair.
    let key = head;
    let keyLength = 1;
    if (headClass.is_grouping === 1) {
      for (let k = pos + 1; k < sentence.length; k++) {
        const next = sentence.charAt(k);
        if (unknown.lookup(next).class_name !== headClass.class_name) break;
        key += next;
        keyLength = key.length;
      }
    }
    for (const id of unknown.target_map[headClass.class_id]!) {
      const unkId = Number(id);
      const d = unknown.dictionary;
      lattice.append(
        new ViterbiNode(
          unkId,
          d.getShort(unkId + 4),
          pos + 1,
          keyLength,
          'UNKNOWN',
          d.getShort(unkId),
          d.getShort(unkId + 2),
          key,
        ),
      );
    }
  }
  lattice.appendEos();
  return lattice;
}
