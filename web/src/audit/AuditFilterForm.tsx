import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../components/Field';
import type { AuditFilter } from './audit-query';

const ACTOR_KINDS = ['user', 'api_key', 'operator', 'system', 'anonymous'] as const;

export function AuditFilterForm({
  draft,
  setDraft,
  onSubmit,
  onClear,
  problem,
}: {
  draft: AuditFilter;
  setDraft: (filter: AuditFilter) => void;
  onSubmit: (event: FormEvent) => void;
  onClear: () => void;
  problem: string | null;
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<AuditFilter>) => setDraft({ ...draft, ...patch });
  return (
    <section className="card" aria-labelledby="audit-filter-title">
      <h2 id="audit-filter-title" className="card-title">
        {t('audit.filters')}
      </h2>
      <form onSubmit={onSubmit} aria-labelledby="audit-filter-title" noValidate>
        <div className="form-row">
          <Field label={t('audit.actor')} hint={t('audit.actorHint')}>
            {(control) => (
              <input
                {...control}
                className="input"
                list="audit-actor-kinds"
                maxLength={200}
                value={draft.actor}
                onChange={(e) => set({ actor: e.target.value })}
              />
            )}
          </Field>
          <datalist id="audit-actor-kinds">
            {ACTOR_KINDS.map((kind) => (
              <option key={kind} value={kind} />
            ))}
          </datalist>
          <Field label={t('audit.action')} hint={t('audit.actionHint')}>
            {(control) => (
              <input
                {...control}
                className="input"
                maxLength={100}
                value={draft.action}
                onChange={(e) => set({ action: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('audit.since')}>
            {(control) => (
              <input
                {...control}
                className="input"
                type="datetime-local"
                value={draft.since}
                onChange={(e) => set({ since: e.target.value })}
              />
            )}
          </Field>
          <Field label={t('audit.until')}>
            {(control) => (
              <input
                {...control}
                className="input"
                type="datetime-local"
                value={draft.until}
                onChange={(e) => set({ until: e.target.value })}
              />
            )}
          </Field>
        </div>
        {problem ? (
          <div className="alert alert-error" role="alert">
            <p>{problem}</p>
          </div>
        ) : null}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClear}>
            {t('audit.clear')}
          </button>
          <button type="submit" className="btn btn-primary">
            {t('audit.apply')}
          </button>
        </div>
      </form>
    </section>
  );
}
