import { useTranslation } from 'react-i18next';
import { documentTypeOf, type Anchor, type DocumentType } from '../api/types';

/** Translated names for documents: their type, where a passage is, sizes and durations. */
export function useKnowledgeLabels() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'ja';
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return {
    docType: (mime: string | null): string => {
      const type = documentTypeOf(mime);
      return type ? t(`docTypes.${type}`) : t('docTypes.other');
    },
    typeName: (type: DocumentType): string => t(`docTypes.${type}`),
    /** "Page 3 · Heading “Costs”"; the passage's number when the anchor says nothing. */
    anchor: (anchor: Anchor, ordinal?: number): string => {
      const parts: string[] = [];
      if (anchor.page !== undefined) parts.push(t('anchor.page', { page: anchor.page }));
      if (anchor.slide !== undefined) parts.push(t('anchor.slide', { slide: anchor.slide }));
      if (anchor.sheet !== undefined) parts.push(t('anchor.sheet', { sheet: anchor.sheet }));
      if (anchor.range !== undefined) parts.push(t('anchor.range', { range: anchor.range }));
      if (anchor.heading !== undefined) parts.push(t('anchor.heading', { heading: anchor.heading }));
      if (parts.length === 0 && ordinal !== undefined) parts.push(t('anchor.part', { ordinal: ordinal + 1 }));
      return parts.join(' · ');
    },
    bytes: (count: number): string =>
      count < 1024
        ? t('units.bytes', { count })
        : count < 1024 * 1024
          ? t('units.kilobytes', { count: number.format(count / 1024) })
          : t('units.megabytes', { count: number.format(count / 1024 / 1024) }),
    duration: (ms: number): string => {
      const seconds = Math.max(1, Math.round(ms / 1000));
      return seconds < 90
        ? t('units.seconds', { count: seconds })
        : t('units.minutes', { count: Math.round(seconds / 60) });
    },
  };
}
