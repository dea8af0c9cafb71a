import type { PiiType } from './pii-types.js';

/** The label inside a placeholder (〔氏名1〕) and the English words a model may translate it to. */
export const PLACEHOLDER_LABELS: Readonly<
  Record<PiiType, { readonly ja: string; readonly aliases: readonly string[] }>
> = {
  person_name: { ja: '氏名', aliases: ['name', 'person'] },
  phone: { ja: '電話', aliases: ['phone', 'tel', 'telephone'] },
  email: { ja: 'メール', aliases: ['email', 'e-mail', 'mail'] },
  my_number: { ja: 'マイナンバー', aliases: ['mynumber', 'my number', 'individual number'] },
  corporate_number: { ja: '法人番号', aliases: ['corporate number', 'corporatenumber'] },
  credit_card: { ja: 'カード', aliases: ['card', 'credit card'] },
  bank_account: { ja: '口座', aliases: ['account', 'bank account'] },
  address: { ja: '住所', aliases: ['address'] },
  postal_code: { ja: '郵便番号', aliases: ['postal code', 'zip', 'postcode'] },
};

export function placeholderText(type: PiiType, n: number): string {
  return `〔${PLACEHOLDER_LABELS[type].ja}${n}〕`;
}

/** Brackets a model may echo instead of 〔〕: full/half-width square, lenticular, corner, angle, round. */
const OPEN = '[〔［\\[【「『〈《＜<（(｛{]';
const CLOSE = '[〕］\\]】」』〉》＞>）)｝}]';

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[ -]/g, '[\\s_\\-]?');
}

const LABEL_TO_TYPE = new Map<string, PiiType>();
for (const [type, label] of Object.entries(PLACEHOLDER_LABELS) as [
  PiiType,
  (typeof PLACEHOLDER_LABELS)[PiiType],
][]) {
  LABEL_TO_TYPE.set(label.ja, type);
  for (const a of label.aliases) LABEL_TO_TYPE.set(a.replace(/[\s_-]/g, '').toLowerCase(), type);
}

const ALTERNATIVES = [...new Set([...Object.values(PLACEHOLDER_LABELS).flatMap((l) => [l.ja, ...l.aliases])])]
  .sort((a, b) => b.length - a.length)
  .map(escape)
  .join('|');

/**
 * A placeholder as a model may write it back: any of those brackets, optional spaces, the label in
 * Japanese or English (any case), an optional separator, the number in ASCII or full-width digits.
 */
export const ECHOED_PLACEHOLDER = new RegExp(
  `${OPEN}\\s?(${ALTERNATIVES})\\s?[_\\-#＃]?\\s?([0-9０-９]{1,6})\\s?${CLOSE}`,
  'giu',
);

export function typeOfLabel(label: string): PiiType | undefined {
  return LABEL_TO_TYPE.get(label) ?? LABEL_TO_TYPE.get(label.replace(/[\s_-]/g, '').toLowerCase());
}

export function parseNumber(digits: string): number {
  return Number(digits.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)));
}
