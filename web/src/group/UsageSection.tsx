import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Loading } from '../components/Page';
import { DataChart } from '../data/DataChart';
import {
  currentMonth,
  metricValue,
  USAGE_METRICS,
  usageChartSpec,
  type UsageMetric,
  type UsageReport,
} from './usage-report';

/**
 * Chargeback for the group admin: a month's usage and cost per company as a chart, and the figures
 * as a table. Figures only: nothing here leads into a company's content.
 */
export function UsageSection({ groupId }: { groupId: string }) {
  const { t, i18n } = useTranslation();
  const [month, setMonth] = useState(currentMonth);
  const [metric, setMetric] = useState<UsageMetric>('costJpy');
  const report = useQuery({
    queryKey: ['group-usage', groupId, month],
    queryFn: () =>
      api<UsageReport>(
        'GET',
        `/api/v1/groups/${encodeURIComponent(groupId)}/usage?month=${encodeURIComponent(month)}`,
      ),
    enabled: /^\d{4}-\d{2}$/.test(month),
  });
  const metricLabel = t(`group.usage.metrics.${metric}`);
  const spec = useMemo(
    () =>
      report.data
        ? usageChartSpec(report.data, metric, { company: t('group.usage.company'), metric: metricLabel })
        : null,
    [report.data, metric, metricLabel, t],
  );
  const number = new Intl.NumberFormat(i18n.language);
  const yen = new Intl.NumberFormat(i18n.language, { style: 'currency', currency: 'JPY' });
  const mb = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 });

  return (
    <section className="card" aria-labelledby="usage-title">
      <div className="card-header">
        <h2 id="usage-title" className="card-title">
          {t('group.usage.title')}
        </h2>
      </div>
      <p className="field-hint">{t('group.usage.hint')}</p>
      <div className="form-row">
        <Field label={t('group.usage.month')}>
          {(control) => (
            <input
              {...control}
              className="input"
              type="month"
              value={month}
              max={currentMonth()}
              onChange={(e) => setMonth(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('group.usage.metric')}>
          {(control) => (
            <select
              {...control}
              className="input"
              value={metric}
              onChange={(e) => setMetric(e.target.value as UsageMetric)}
            >
              {USAGE_METRICS.map((m) => (
                <option key={m} value={m}>
                  {t(`group.usage.metrics.${m}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {report.isPending && report.fetchStatus !== 'idle' ? <Loading /> : null}
      <ErrorMessage error={report.error} />
      {report.data && spec ? (
        <>
          {report.data.companies.every((c) => metricValue(c, metric) === 0) ? (
            <p className="empty">{t('group.usage.allZero', { metric: metricLabel })}</p>
          ) : null}
          <figure className="data-figure">
            <DataChart
              spec={spec}
              description={t('group.usage.chartDescription', {
                metric: metricLabel,
                month: report.data.month,
              })}
            />
          </figure>
          {report.data.unpriced.length > 0 ? (
            <p className="alert alert-warning">
              {t('group.usage.unpriced')} <span translate="no">{report.data.unpriced.join(', ')}</span>
            </p>
          ) : null}
          <div className="table-wrap">
            <table className="table" data-testid="usage-table">
              <caption className="visually-hidden">
                {t('group.usage.tableCaption', { month: report.data.month })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('group.usage.company')}</th>
                  <th scope="col" className="numeric">
                    {t('group.usage.metrics.requests')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('group.usage.metrics.tokens')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('group.usage.metrics.costJpy')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('group.usage.metrics.documents')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('group.usage.metrics.storageBytes')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.data.companies.map((c) => (
                  <tr key={c.companyId}>
                    <th scope="row" translate="no">
                      {c.name}
                    </th>
                    <td className="numeric">{number.format(c.requests)}</td>
                    <td className="numeric">{number.format(c.tokensIn + c.tokensOut)}</td>
                    <td className="numeric">{yen.format(c.costJpy)}</td>
                    <td className="numeric">{number.format(c.documents)}</td>
                    <td className="numeric">{mb.format(c.storageBytes / 1024 / 1024)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('group.usage.total')}</th>
                  <td className="numeric">{number.format(report.data.totals.requests)}</td>
                  <td className="numeric">
                    {number.format(report.data.totals.tokensIn + report.data.totals.tokensOut)}
                  </td>
                  <td className="numeric">{yen.format(report.data.totals.costJpy)}</td>
                  <td className="numeric">{number.format(report.data.totals.documents)}</td>
                  <td className="numeric">{mb.format(report.data.totals.storageBytes / 1024 / 1024)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
