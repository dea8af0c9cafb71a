import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/session';
import { Page } from '../components/Page';
import { useLabels } from '../i18n/labels';
import { Link } from '../router/router';
import type { PageEntry } from './registry';

/** A page this role may not use, reached by typing its address (the API refuses it too). */
export function NotAllowedPage({ page }: { page: PageEntry }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const me = useMe();
  const roles = page.roles === 'everyone' ? [] : page.roles.map(labels.role);
  return (
    <Page title={t('notAllowed.title')}>
      <div className="card status-card" data-testid="not-allowed">
        <p>{t('notAllowed.body', { roles: labels.or(roles), role: labels.role(me.role) })}</p>
        <p>{t('notAllowed.help')}</p>
        <p>
          <Link to="/" className="btn btn-primary">
            {t('notAllowed.home')}
          </Link>
        </p>
      </div>
    </Page>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('notFound.title')}>
      <div className="card status-card" data-testid="not-found">
        <p>{t('notFound.body')}</p>
        <p>
          <Link to="/" className="btn btn-primary">
            {t('notFound.home')}
          </Link>
        </p>
      </div>
    </Page>
  );
}
