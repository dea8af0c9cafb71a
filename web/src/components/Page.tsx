import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface PageProps {
  title: string;
  description?: ReactNode;
  /** The title is data (a document's name): not to be translated. */
  dataTitle?: boolean;
  children: ReactNode;
}

/** Every page's frame: its heading (focused on arrival, for keyboard and screen-reader users) and the tab title. */
export function Page({ title, description, dataTitle, children }: PageProps) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = t('app.titleSuffix', { page: title });
  }, [t, title]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div className="page">
      <header className="page-header">
        <h1 ref={heading} tabIndex={-1} className="page-title" translate={dataTitle ? 'no' : undefined}>
          {title}
        </h1>
        {description ? <p className="page-description">{description}</p> : null}
      </header>
      {children}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {t('common.loading')}
    </p>
  );
}

/** A polite announcement of what just happened ("… was added"). */
export function StatusMessage({ message, onDismiss }: { message: string | null; onDismiss: () => void }) {
  const { t } = useTranslation();
  return (
    <div role="status" className={message ? 'alert alert-success' : 'visually-hidden'}>
      {message ? (
        <>
          <p>{message}</p>
          <button type="button" className="btn btn-small btn-ghost" onClick={onDismiss}>
            {t('common.close')}
          </button>
        </>
      ) : null}
    </div>
  );
}
