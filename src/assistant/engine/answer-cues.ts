/**
 * What kind of answer a question asks for, read from its question word, and whether a sentence
 * holds something of that kind. A sentence with a year answers 何年 better than one without.
 */
interface Cue {
  asks: RegExp;
  holds: RegExp;
}

const CUES: Cue[] = [
  {
    // When / which year / which century.
    asks: /何年|何世紀|何月|何日|いつ|何時代|年代|\bwhen\b|\bwhat year\b|\bwhich year\b/iu,
    holds:
      /[0-9０-９]+\s*(?:年|月|日|世紀|年代)|明治|大正|昭和|平成|令和|江戸|室町|鎌倉|\b1[0-9]{3}\b|\b20[0-9]{2}\b/u,
  },
  {
    // How many / how much.
    asks: /何人|何個|何回|何本|何台|何件|何割|何%|何パーセント|いくつ|いくら|どのくらい|どれくらい|\bhow (?:many|much|long|old)\b/iu,
    holds:
      /[0-9０-９一二三四五六七八九十百千万億]+\s*(?:人|個|回|本|台|件|割|%|％|パーセント|円|ドル|キロ|メートル|km|m|歳|年|日|倍)?/u,
  },
  {
    // Where.
    asks: /どこ|何処|どの(?:国|都市|地域|県|州|町)|\bwhere\b/iu,
    holds: /[都道府県市区町村郡国州島]|地方|駅|空港|大陸|半島|川|山|湾/u,
  },
  {
    // Who.
    asks: /誰|だれ|何者|\bwho\b/iu,
    holds: /[\p{Script=Katakana}ー]{3,}|氏|天皇|将軍|大臣|社長|監督|選手|王|者|家/u,
  },
];

/** The cues a question raises (usually none or one). */
export function cuesOf(question: string): RegExp[] {
  return CUES.filter((c) => c.asks.test(question)).map((c) => c.holds);
}

/** Grams that are the question word itself (何年, 誰が): never in an answer, so never counted. */
export const QUESTION_WORD = /何|誰|どこ|いつ|どれ|どの|どう|なぜ/u;
