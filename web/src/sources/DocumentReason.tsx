import { useTranslation } from 'react-i18next';

const KNOWN = [
  'unsupported_type',
  'corrupt_file',
  'encrypted_file',
  'empty_file',
  'archive_bomb',
  'too_large',
  'parse_timeout',
] as const;
const isKnown = (code: string): code is (typeof KNOWN)[number] => (KNOWN as readonly string[]).includes(code);

/** Why a document was not indexed: the reason in the user's language, the parser's own words beside it. */
export function DocumentReason({ code, message }: { code: string | null; message: string | null }) {
  const { t } = useTranslation();
  if (!code && !message) return null;
  return (
    <span className="reason">
      <span className="reason-text">
        {code && isKnown(code) ? t(`documents.reasons.${code}`) : t('documents.reasons.other')}
      </span>
      {message ? (
        <span className="reason-detail" translate="no">
          {code ? `${code}: ` : ''}
          {message}
        </span>
      ) : null}
    </span>
  );
}
