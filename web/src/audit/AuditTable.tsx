import { useTranslation } from 'react-i18next';
import type { User } from '../api/types';
import type { AuditEvent } from './audit-query';

/** One page of events; a user's id is shown with their name when they are one of the company's users. */
export function AuditTable({ events, users }: { events: AuditEvent[]; users: User[] }) {
  const { t, i18n } = useTranslation();
  const names = new Map(users.map((u) => [u.id, `${u.name} <${u.email}>`]));
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });
  if (events.length === 0) return <p className="empty">{t('audit.empty')}</p>;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('audit.seq')}</th>
            <th scope="col">{t('audit.time')}</th>
            <th scope="col">{t('audit.actor')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.outcome')}</th>
            <th scope="col">{t('audit.target')}</th>
            <th scope="col">{t('audit.details')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td>{e.seq}</td>
              <td>{time.format(new Date(e.occurredAt))}</td>
              <td translate="no">
                <span className="badge badge-muted">{e.actor.kind}</span>{' '}
                {e.actor.id ? (names.get(e.actor.id) ?? <code>{e.actor.id}</code>) : null}
              </td>
              <td translate="no">
                <code>{e.action}</code>
              </td>
              <td>
                <span className={`badge ${e.outcome === 'success' ? 'badge-ok' : 'badge-danger'}`}>
                  {t(`audit.outcomes.${e.outcome}`)}
                </span>
              </td>
              <td translate="no">{e.target ? <code>{`${e.target.type}:${e.target.id}`}</code> : null}</td>
              <td>
                {Object.keys(e.payload).length > 0 || e.ip ? (
                  <details>
                    <summary>{t('audit.show')}</summary>
                    <pre className="audit-payload" translate="no">
                      {JSON.stringify({ ip: e.ip, requestId: e.requestId, ...e.payload }, null, 2)}
                    </pre>
                  </details>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
