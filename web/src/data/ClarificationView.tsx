import { useTranslation } from 'react-i18next';
import type { DataClarification } from '../api/types';
import { inLanguage } from './clarify';

/** The question the analyst asks back, and its choices as buttons (one click asks again). */
export function ClarificationView({
  clarification,
  onChoose,
  pending,
}: {
  clarification: DataClarification;
  onChoose: (choice: { label: string; value: string }) => void;
  pending: boolean;
}) {
  const { t, i18n } = useTranslation();
  return (
    <div className="data-clarification" role="group" aria-labelledby="data-clarification-question">
      <p className="alert-title">{t('data.clarificationTitle')}</p>
      <p id="data-clarification-question" translate="no">
        {inLanguage(clarification.question, i18n.language)}
      </p>
      {clarification.choices.length === 0 ? (
        <p className="empty">{t('data.noChoices')}</p>
      ) : (
        <ul className="choice-list">
          {clarification.choices.map((choice) => (
            <li key={choice.value}>
              <button
                type="button"
                className="btn"
                disabled={pending}
                translate="no"
                onClick={() => onChoose(choice)}
              >
                {inLanguage(choice.label, i18n.language)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
