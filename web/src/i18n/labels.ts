import { useTranslation } from 'react-i18next';
import { REGIONS, SECTORS, USER_ROLES } from '../api/types';

const has = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

/** Translated names of the API's codes (roles, sectors, regions); an unknown code shows as itself. */
export function useLabels() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'ja';
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    role: (role: string): string =>
      has(USER_ROLES, role) || role === 'operator' ? t(`roles.${role}`) : role,
    sector: (sector: string): string => (has(SECTORS, sector) ? t(`sectors.${sector}`) : sector),
    region: (region: string): string => (has(REGIONS, region) ? t(`regions.${region}`) : region),
    dateTime: (iso: string | null): string => (iso ? dateTime.format(new Date(iso)) : t('common.never')),
    /** "A or B" in the current language. */
    or: (items: string[]): string => new Intl.ListFormat(locale, { type: 'disjunction' }).format(items),
  };
}
