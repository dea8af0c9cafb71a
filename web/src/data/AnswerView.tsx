import { useTranslation } from 'react-i18next';
import type { DataAnswer } from '../api/types';
import { DataChart } from './DataChart';
import { ResultTable } from './ResultTable';
import { downloadText } from './download-text';
import { csvFileName, resultCsv } from './result-csv';

const JAPANESE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** One answer: the narrative, the chart, the table, CSV download and the SQL that produced it. */
export function AnswerView({ answer, question }: { answer: DataAnswer; question: string }) {
  const { t } = useTranslation();
  const empty = answer.rows.length === 0;
  return (
    <>
      {/* The narrative is the server's text, built from the result's numbers (in Japanese today). */}
      {!empty ? (
        <p
          className="data-narrative"
          translate="no"
          lang={JAPANESE.test(answer.narrative) ? 'ja' : undefined}
        >
          {answer.narrative}
        </p>
      ) : null}
      {answer.truncated ? (
        <p className="alert alert-info">{t('data.truncated', { count: answer.rows.length })}</p>
      ) : null}
      {empty ? (
        <p className="empty" data-testid="data-no-rows">
          {t('data.noRows')}
        </p>
      ) : null}
      {answer.chart && !empty ? (
        <figure className="data-figure" aria-labelledby="data-chart-title">
          <figcaption id="data-chart-title" className="section-title">
            {t('data.chart')}
          </figcaption>
          <DataChart spec={answer.chart} description={t('data.chartDescription', { question })} />
        </figure>
      ) : null}
      {!empty ? (
        <>
          <div className="data-table-header">
            <h3 className="section-title">{t('data.table')}</h3>
            <p className="card-meta">{t('data.rows', { count: answer.rows.length })}</p>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => downloadText(resultCsv(answer.columns, answer.rows), csvFileName(new Date()))}
            >
              {t('data.downloadCsv')}
            </button>
          </div>
          <ResultTable columns={answer.columns} rows={answer.rows} />
        </>
      ) : null}
      <details className="data-sql">
        <summary>{t('data.showSql')}</summary>
        <p className="field-hint">{t('data.sqlHint')}</p>
        {answer.sql.map((statement, index) => (
          <div key={index} className="data-sql-statement">
            <pre translate="no" data-testid="data-sql">
              {statement.sql}
            </pre>
            {statement.params.length > 0 ? (
              <p className="card-meta">
                {t('data.sqlParams')}{' '}
                <code translate="no">{statement.params.map((p) => JSON.stringify(p)).join(', ')}</code>
              </p>
            ) : null}
          </div>
        ))}
      </details>
    </>
  );
}
