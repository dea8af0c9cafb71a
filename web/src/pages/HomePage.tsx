import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/session';
import { Page } from '../components/Page';
import { useLabels } from '../i18n/labels';
import { Link } from '../router/router';
import { mayUse, PAGES } from './registry';

/** Who I am: the signed-in user, their company and group, and what they may administer. */
export default function HomePage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const me = useMe();
  const shortcuts = PAGES.filter(
    (page) => page.description && page.section !== 'workspace' && mayUse(page, me.role),
  );
  const name = me.user?.name ?? me.company.slug;

  return (
    <Page title={t('home.title')}>
      <p className="welcome">{t('home.welcome', { name })}</p>
      <div className="grid-2">
        <section className="card" aria-labelledby="home-account">
          <h2 id="home-account" className="card-title">
            {t('home.account')}
          </h2>
          <dl className="facts">
            <div>
              <dt>{t('home.name')}</dt>
              <dd translate="no">{me.user?.name ?? t('home.apiKey')}</dd>
            </div>
            {me.user ? (
              <div>
                <dt>{t('home.email')}</dt>
                <dd translate="no">{me.user.email}</dd>
              </div>
            ) : null}
            <div>
              <dt>{t('home.role')}</dt>
              <dd>
                <span className="badge badge-role">{labels.role(me.role)}</span>
              </dd>
            </div>
          </dl>
        </section>
        <section className="card" aria-labelledby="home-company">
          <h2 id="home-company" className="card-title">
            {t('home.company')}
          </h2>
          <dl className="facts">
            <div>
              <dt>{t('home.companyName')}</dt>
              <dd translate="no">{me.company.name}</dd>
            </div>
            <div>
              <dt>{t('home.companyId')}</dt>
              <dd>
                <code translate="no">{me.company.slug}</code>
              </dd>
            </div>
            <div>
              <dt>{t('home.region')}</dt>
              <dd>{labels.region(me.company.region)}</dd>
            </div>
            <div>
              <dt>{t('home.sector')}</dt>
              <dd>{labels.sector(me.company.sector)}</dd>
            </div>
            <div>
              <dt>{t('home.group')}</dt>
              <dd translate={me.group ? 'no' : undefined}>{me.group?.name ?? t('home.noGroup')}</dd>
            </div>
          </dl>
        </section>
      </div>
      {shortcuts.length > 0 ? (
        <section className="shortcuts" aria-labelledby="home-shortcuts">
          <h2 id="home-shortcuts" className="section-title">
            {t('home.shortcuts')}
          </h2>
          <ul className="shortcut-list">
            {shortcuts.map((page) => (
              <li key={page.path}>
                <Link to={page.path} className="shortcut">
                  <span className="shortcut-title">{t(page.label)}</span>
                  <span className="shortcut-description">
                    {page.description ? t(page.description) : null}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Page>
  );
}
