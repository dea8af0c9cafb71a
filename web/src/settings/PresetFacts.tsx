import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { PolicyRules, SectorPreset } from './policy';

/** The sector presets as the server applies them (read-only; they change only with a release). */
export function useSectorPresets() {
  return useQuery({
    queryKey: ['sector-presets'],
    queryFn: () => api<{ presets: SectorPreset[] }>('GET', '/api/v1/sector-presets').then((a) => a.presets),
    staleTime: Infinity,
  });
}

/** What a preset sets: regions, providers, retaining providers, PII mode. */
export function PresetFacts({ preset, testId }: { preset: PolicyRules; testId?: string }) {
  const { t, i18n } = useTranslation();
  const list = new Intl.ListFormat(i18n.language, { type: 'conjunction' });
  const regions = preset.allowedRegions
    ? list.format(preset.allowedRegions.map((r) => t(`regions.${r}`, { defaultValue: r })))
    : t('settings.anyRegion');
  const providers = preset.allowedProviders
    ? list.format(preset.allowedProviders)
    : t('settings.anyProvider');
  return (
    <dl className="facts facts-inline" data-testid={testId}>
      <div>
        <dt>{t('settings.regions')}</dt>
        <dd>{regions}</dd>
      </div>
      <div>
        <dt>{t('settings.providers')}</dt>
        <dd>{providers}</dd>
      </div>
      <div>
        <dt>{t('settings.retaining')}</dt>
        <dd>{preset.allowRetaining ? t('settings.retainingAllowed') : t('settings.retainingRefused')}</dd>
      </div>
      <div>
        <dt>{t('settings.piiMode')}</dt>
        <dd>{t(`settings.pii.${preset.piiMode}`)}</dd>
      </div>
    </dl>
  );
}
