import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { StatusMessage } from '../components/Page';
import {
  PII_MODES,
  REGIONS,
  differences,
  type PiiMode,
  type PolicyRules,
  type Provider,
  type ResidencyPolicy,
} from './policy';

interface Props {
  companyId: string;
  policy: ResidencyPolicy;
  preset: PolicyRules;
  providers: Provider[];
}

/** The residency policy's four rules, each marked when it departs from the sector preset. */
export function PolicyForm({ companyId, policy, preset, providers }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [rules, setRules] = useState<PolicyRules>(policy);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const changed = differences(rules, preset);
  const save = useMutation({
    mutationFn: () =>
      api<ResidencyPolicy>('PUT', `/api/v1/companies/${encodeURIComponent(companyId)}/policy`, rules),
    onSuccess: (stored) => {
      queryClient.setQueryData(['policy', companyId], stored);
      setSaved(t('settings.saved'));
    },
  });
  const set = (patch: Partial<PolicyRules>) => {
    setRules({ ...rules, ...patch });
    setSaved(null);
    setProblem(null);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (rules.allowedRegions?.length === 0) return setProblem(t('settings.regionsEmpty'));
    if (rules.allowedProviders?.length === 0) return setProblem(t('settings.providersEmpty'));
    save.mutate();
  };
  const toggle = (list: string[] | null, item: string, on: boolean) =>
    on ? [...(list ?? []), item] : (list ?? []).filter((x) => x !== item);
  const differs = (key: keyof PolicyRules) =>
    changed.has(key) ? <span className="badge badge-warning">{t('settings.differs')}</span> : null;

  return (
    <form className="card settings-form" onSubmit={submit} aria-labelledby="policy-title" noValidate>
      <h2 id="policy-title" className="card-title">
        {t('settings.policy')}
      </h2>

      <fieldset className="fieldset">
        <legend>
          {t('settings.regions')} {differs('allowedRegions')}
        </legend>
        <label className="choice">
          <input
            type="radio"
            name="regions-mode"
            checked={rules.allowedRegions === null}
            onChange={() => set({ allowedRegions: null })}
          />
          {t('settings.anyRegion')}
        </label>
        <label className="choice">
          <input
            type="radio"
            name="regions-mode"
            checked={rules.allowedRegions !== null}
            onChange={() => set({ allowedRegions: preset.allowedRegions ?? ['jp-east', 'jp-west'] })}
          />
          {t('settings.onlyRegions')}
        </label>
        {rules.allowedRegions !== null ? (
          <div className="choices-indented">
            {REGIONS.map((region) => (
              <label key={region} className="choice">
                <input
                  type="checkbox"
                  checked={rules.allowedRegions?.includes(region) ?? false}
                  onChange={(e) =>
                    set({ allowedRegions: toggle(rules.allowedRegions, region, e.target.checked) })
                  }
                />
                {t(`regions.${region}`)} <code translate="no">{region}</code>
              </label>
            ))}
          </div>
        ) : null}
      </fieldset>

      <fieldset className="fieldset">
        <legend>
          {t('settings.providers')} {differs('allowedProviders')}
        </legend>
        <label className="choice">
          <input
            type="radio"
            name="providers-mode"
            checked={rules.allowedProviders === null}
            onChange={() => set({ allowedProviders: null })}
          />
          {t('settings.anyProvider')}
        </label>
        <label className="choice">
          <input
            type="radio"
            name="providers-mode"
            checked={rules.allowedProviders !== null}
            onChange={() => set({ allowedProviders: [] })}
          />
          {t('settings.onlyProviders')}
        </label>
        {rules.allowedProviders !== null ? (
          <div className="choices-indented">
            {providers.length === 0 ? <p className="field-hint">{t('settings.noProviders')}</p> : null}
            {providers.map((p) => (
              <label key={p.id} className="choice">
                <input
                  type="checkbox"
                  checked={rules.allowedProviders?.includes(p.name) ?? false}
                  onChange={(e) =>
                    set({ allowedProviders: toggle(rules.allowedProviders, p.name, e.target.checked) })
                  }
                />
                <span translate="no">{p.name}</span>
                <span className="field-hint">
                  {t('settings.providerFacts', {
                    region: t(`regions.${p.region}`, { defaultValue: p.region }),
                    retains: p.retainsData ? t('settings.retains') : t('settings.notRetains'),
                  })}
                </span>
              </label>
            ))}
          </div>
        ) : null}
      </fieldset>

      <fieldset className="fieldset">
        <legend>
          {t('settings.retaining')} {differs('allowRetaining')}
        </legend>
        <label className="choice">
          <input
            type="checkbox"
            checked={rules.allowRetaining}
            onChange={(e) => set({ allowRetaining: e.target.checked })}
          />
          {t('settings.allowRetaining')}
        </label>
        <p className="field-hint">{t('settings.retainingHint')}</p>
      </fieldset>

      <Field label={t('settings.piiMode')} hint={t(`settings.pii.${rules.piiMode}Hint`)}>
        {(control) => (
          <select
            {...control}
            className="input"
            value={rules.piiMode}
            onChange={(e) => set({ piiMode: e.target.value as PiiMode })}
          >
            {PII_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {t(`settings.pii.${mode}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {differs('piiMode')}

      {problem ? (
        <div className="alert alert-error" role="alert">
          <p>{problem}</p>
        </div>
      ) : null}
      <ErrorMessage error={save.error} />
      <StatusMessage message={saved} onDismiss={() => setSaved(null)} />
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => set({ ...preset })}>
          {t('settings.resetToPreset')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
