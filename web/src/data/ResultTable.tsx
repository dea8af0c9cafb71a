import { useTranslation } from 'react-i18next';
import type { DataColumn, DataRow } from '../api/types';
import { formatCell, isNumeric } from './format-value';

/** The answer's rows: labels from the data model as headers, numbers right-aligned and formatted. */
export function ResultTable({ columns, rows }: { columns: DataColumn[]; rows: DataRow[] }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language.startsWith('en') ? 'en-US' : 'ja-JP';
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t('data.table')}>
      <table className="table data-table" data-testid="data-table">
        <caption className="visually-hidden">{t('data.table')}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th
                key={column.name}
                scope="col"
                translate="no"
                className={isNumeric(column) ? 'numeric' : undefined}
              >
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              {columns.map((column) => (
                <td
                  key={column.name}
                  translate="no"
                  data-column={column.name}
                  className={isNumeric(column) ? 'numeric' : undefined}
                >
                  {formatCell(row[column.name], column, locale)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
