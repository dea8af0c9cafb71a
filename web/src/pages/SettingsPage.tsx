import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useMe } from '../auth/session';
import { ErrorMessage } from '../components/ErrorMessage';
import { Loading, Page } from '../components/Page';
import { PolicyForm } from '../settings/PolicyForm';
import { PresetFacts, useSectorPresets } from '../settings/PresetFacts';
import type { PolicyRules, Provider, ResidencyPolicy } from '../settings/policy';

/** The company's residency policy (where its data may go for model calls), against its sector preset. */
export default function SettingsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const companyId = me.company.id;
  const policy = useQuery({
    queryKey: ['policy', companyId],
    queryFn: () => api<ResidencyPolicy>('GET', `/api/v1/companies/${encodeURIComponent(companyId)}/policy`),
  });
  const providers = useQuery({
    queryKey: ['providers'],
    queryFn: () => api<{ providers: Provider[] }>('GET', '/api/v1/providers').then((a) => a.providers),
  });
  const presets = useSectorPresets();
  const preset = presets.data?.find((p) => p.sector === me.company.sector)?.rules;
  return (
    <Page title={t('settings.title')} description={t('settings.description')}>
      {preset ? <PresetCard sector={me.company.sector} preset={preset} /> : null}
      {policy.isPending || providers.isPending || presets.isPending ? <Loading /> : null}
      <ErrorMessage error={policy.error ?? providers.error ?? presets.error} />
      {policy.data && providers.data && preset ? (
        <PolicyForm
          key={companyId}
          companyId={companyId}
          policy={policy.data}
          preset={preset}
          providers={providers.data}
        />
      ) : null}
    </Page>
  );
}

function PresetCard({ sector, preset }: { sector: string; preset: PolicyRules }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="preset-title">
      <h2 id="preset-title" className="card-title">
        {t('settings.preset', { sector: t(`sectors.${sector}`, { defaultValue: sector }) })}
      </h2>
      <p className="field-hint">{t('settings.presetHint')}</p>
      <PresetFacts preset={preset} testId="preset" />
    </section>
  );
}
