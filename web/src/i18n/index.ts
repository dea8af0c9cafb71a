import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { ja, type Messages } from './ja';

export const LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

declare global {
  interface Window {
    /** Keys a page asked for that have no translation: recorded for the end-to-end tests. */
    __kuraMissingKeys?: string[];
  }
}

const STORAGE_KEY = 'kura.language';

function storedLanguage(): Language {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ja';
  } catch {
    return 'ja';
  }
}

/** Japanese unless the user chose English (remembered in this browser). No fallback language: a missing key shows. */
export function initI18n(): typeof i18next {
  const lng = storedLanguage();
  void i18next.use(initReactI18next).init({
    resources: { ja: { translation: ja }, en: { translation: en } },
    lng,
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    initAsync: false,
    saveMissing: true,
    missingKeyHandler: (lngs, ns, key) => {
      (window.__kuraMissingKeys ??= []).push(`${lngs.join(',')}:${ns}:${key}`);
    },
  });
  document.documentElement.lang = lng;
  i18next.on('languageChanged', (language) => {
    document.documentElement.lang = language;
    try {
      window.localStorage.setItem(STORAGE_KEY, language);
    } catch {
      // private mode: the choice lasts for this page only
    }
  });
  return i18next;
}

export function otherLanguage(language: string): Language {
  return language === 'en' ? 'ja' : 'en';
}
