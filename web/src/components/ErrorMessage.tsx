import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { describeLimit } from './limit-message';

const KNOWN_CODES = [
  'network_error',
  'internal_error',
  'forbidden',
  'not_found',
  'unauthenticated',
  'session_expired',
  'rate_limited',
  'invalid_credentials',
  'email_taken',
  'slug_taken',
  'cannot_change_self',
  'cannot_delete_self',
  'invalid_request',
  'csrf_failed',
  'folder_not_allowed',
  'source_unreachable',
  'unknown_table',
  'invalid_url',
  'name_taken',
  'file_too_large',
  'too_many_files',
  'no_file',
  'unsupported_media_type',
  'unsupported_source',
  'source_unavailable',
  'query_timeout',
  'source_query_failed',
  'invalid_query',
  'invalid_question',
  'unknown_source',
  'not_a_database',
  'nothing_to_model',
] as const;

/** Codes whose server message names what to fix (the allowed folders, the missing table, the file). */
const DETAILED: ReadonlySet<string> = new Set([
  'invalid_request',
  'folder_not_allowed',
  'source_unreachable',
  'unknown_table',
  'invalid_url',
  'file_too_large',
  'invalid_query',
  'nothing_to_model',
]);

type KnownCode = (typeof KNOWN_CODES)[number];
const isKnown = (code: string): code is KnownCode => (KNOWN_CODES as readonly string[]).includes(code);

/** The translated sentence for an error, and the server's own words when they add something. */
export function describeError(
  t: TFunction,
  error: unknown,
  language = 'ja',
): { text: string; detail?: string } {
  if (error instanceof ApiError) {
    const limit = describeLimit(t, error, language);
    if (limit) return { text: limit };
    if (isKnown(error.code)) {
      return DETAILED.has(error.code) && error.message
        ? { text: t(`errors.${error.code}`), detail: error.message }
        : { text: t(`errors.${error.code}`) };
    }
    return { text: t('errors.generic'), detail: `${error.code}${error.message ? `: ${error.message}` : ''}` };
  }
  return { text: t('errors.generic'), detail: error instanceof Error ? error.message : String(error) };
}

export function ErrorMessage({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const { text, detail } = describeError(t, error, i18n.language);
  return (
    <div className="alert alert-error" role="alert">
      <p>{text}</p>
      {detail ? (
        <p className="alert-detail">
          {t('errors.detail')} <span translate="no">{detail}</span>
        </p>
      ) : null}
    </div>
  );
}
