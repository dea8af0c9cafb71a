import { matchAt, type PiiMatch, type ScanText } from '../pii-types.js';

const WORD = "[A-Z][a-z'’-]+";
/** Mr. Smith, Dr. Jane Doe — the name after the title, not the title. */
const TITLED = new RegExp(`\\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\\.? (${WORD}(?: ${WORD}){0,2})`, 'g');
/** Name: Jane Doe, Attn: John Smith. */
const LABELLED = new RegExp(
  `\\b(?:Name|Full [Nn]ame|Contact(?: [Pp]erson)?|Attn|Attention|Customer|Applicant|Patient|Employee|Sender|Signed)\\s?: ?(${WORD}(?: ${WORD}){1,2})`,
  'g',
);
/** Dear Jane Doe, — not "Dear Customer,". */
const DEAR = new RegExp(`\\bDear (${WORD}(?: ${WORD}){0,2}),`, 'g');
/** Tanaka-san, Sato-sama. */
const JAPANESE_HONORIFIC = new RegExp(`\\b(${WORD})-(?:san|sama|sensei|kun|shi|dono)\\b`, 'g');
/** "Best regards,\nJane Doe" */
const SIGN_OFF = new RegExp(
  `(?:[Rr]egards|[Ss]incerely|[Tt]hanks|[Tt]hank you|[Cc]heers),?[ \\t]*\\r?\\n[ \\t]*(${WORD}(?:[ \\t]${WORD}){1,2})`,
  'g',
);

const NOT_NAMES: ReadonlySet<string> = new Set([
  'Customer',
  'Customers',
  'Sir',
  'Madam',
  'Team',
  'All',
  'Colleagues',
  'Valued',
  'Member',
  'Members',
  'Partner',
  'Partners',
  'Client',
  'Clients',
  'Hiring',
  'Manager',
  'Support',
  'Sales',
  'Friends',
  'Everyone',
  'Applicant',
  'User',
  'Users',
  'Shareholders',
  'Board',
  'Admin',
  'Administrator',
  'Kura',
  'The',
  'Our',
  'Your',
  'Company',
  'Department',
  'Inc',
  'Ltd',
  'Corp',
  'Co',
  'Japan',
  'Tokyo',
  'Osaka',
  'Team',
  'Staff',
  'Service',
  'Account',
]);

function collect(re: RegExp, text: ScanText, out: PiiMatch[], confidence: number): void {
  re.lastIndex = 0;
  for (let m = re.exec(text.folded); m !== null; m = re.exec(text.folded)) {
    let name = m[1]!;
    const words = name.split(/[ \t]/);
    if (words.some((w) => NOT_NAMES.has(w))) continue;
    name = name.replace(/['’]s$/, '');
    const start = m.index + m[0].lastIndexOf(m[1]!);
    out.push(matchAt(text, 'person_name', start, start + name.length, confidence));
  }
}

/** Names in English text, found by titles, labels, salutations and sign-offs. */
export function detectEnglishNames(text: ScanText): PiiMatch[] {
  const out: PiiMatch[] = [];
  collect(TITLED, text, out, 0.9);
  collect(LABELLED, text, out, 0.9);
  collect(DEAR, text, out, 0.85);
  collect(JAPANESE_HONORIFIC, text, out, 0.85);
  collect(SIGN_OFF, text, out, 0.8);
  return out;
}
