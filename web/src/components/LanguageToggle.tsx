import { useTranslation } from 'react-i18next';
import { otherLanguage } from '../i18n';

/** One click to the other language; the button speaks the language it switches to. */
export function LanguageToggle() {
  const { t, i18n } = useTranslation();
  const next = otherLanguage(i18n.language);
  return (
    <button
      type="button"
      className="btn btn-ghost language-toggle"
      lang={next}
      translate="no"
      aria-label={t('language.switchLabel')}
      onClick={() => void i18n.changeLanguage(next)}
    >
      <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" focusable="false">
        <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
        <path
          d="M1.5 8h13M8 1.5c2 2 2 11 0 13M8 1.5c-2 2-2 11 0 13"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.3"
        />
      </svg>
      {t('language.switch')}
    </button>
  );
}
