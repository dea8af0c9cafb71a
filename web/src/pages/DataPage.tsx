import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client';
import type { DataAskResponse, DataModel } from '../api/types';
import { useMe } from '../auth/session';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Loading, Page } from '../components/Page';
import { AnswerView } from '../data/AnswerView';
import { answerClarification } from '../data/clarify';
import { ClarificationView } from '../data/ClarificationView';
import { NoDataSource } from '../data/NoDataSource';
import { navigate, useSearch } from '../router/router';

/** Roles that may read the semantic model (src/tenancy/policies.ts: data.model.read). */
const READS_MODEL = new Set(['admin', 'member']);
const isNoModel = (error: unknown) => error instanceof ApiError && error.status === 404;

const questionOf = (search: string) => new URLSearchParams(search).get('q') ?? '';
const askHref = (question: string) => `/data?${new URLSearchParams({ q: question.trim() }).toString()}`;

/**
 * Questions about the company's numbers, in Japanese or English. The question lives in the address
 * (/data?q=…) so back, reload and sharing keep it; a clarification's choice asks again.
 */
export default function DataPage() {
  const { t } = useTranslation();
  const me = useMe();
  const search = useSearch();
  const question = questionOf(search);
  const [draft, setDraft] = useState(question);
  useEffect(() => setDraft(questionOf(search)), [search]);

  const model = useQuery({
    queryKey: ['data-model'],
    queryFn: () => api<DataModel>('GET', '/api/v1/data/model'),
    enabled: READS_MODEL.has(me.role),
    retry: (count, error) => !isNoModel(error) && count < 2,
  });
  const asked = question.trim() !== '';
  const answer = useQuery({
    queryKey: ['data-ask', question],
    queryFn: ({ signal }) =>
      api<DataAskResponse>('POST', '/api/v1/data/ask', { question: question.trim() }, { signal }),
    enabled: asked,
    retry: false,
    staleTime: 60_000,
  });
  const noModel = isNoModel(model.error) || isNoModel(answer.error);
  // A clicked choice disappears with its clarification: the keyboard focus goes to the new answer.
  const answerHeading = useRef<HTMLHeadingElement>(null);
  const [focusAnswer, setFocusAnswer] = useState(false);
  useEffect(() => {
    if (focusAnswer && answer.data && !answer.isFetching) {
      answerHeading.current?.focus();
      setFocusAnswer(false);
    }
  }, [focusAnswer, answer.data, answer.isFetching]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim()) return;
    if (draft.trim() === question.trim()) void answer.refetch();
    else navigate(askHref(draft));
  };

  return (
    <Page title={t('data.title')} description={t('data.description')}>
      <section className="card" aria-labelledby="data-form-title">
        <h2 id="data-form-title" className="visually-hidden">
          {t('data.form')}
        </h2>
        <form className="form-row" onSubmit={submit} aria-labelledby="data-form-title">
          <Field label={t('data.question')} hint={t('data.questionHint')} className="field-grow">
            {(control) => (
              <input
                {...control}
                className="input"
                name="question"
                maxLength={1000}
                required
                value={draft}
                placeholder={t('data.placeholder')}
                onChange={(event) => setDraft(event.target.value)}
              />
            )}
          </Field>
          <div className="form-row-submit">
            <button type="submit" className="btn btn-primary" disabled={answer.isFetching || noModel}>
              {answer.isFetching ? t('data.asking') : t('data.ask')}
            </button>
          </div>
        </form>
        {model.data ? <ModelSummary model={model.data} /> : null}
      </section>
      <section className="card" aria-labelledby="data-answer-title" aria-busy={answer.isFetching}>
        <h2 id="data-answer-title" className="card-title" ref={answerHeading} tabIndex={-1}>
          {t('data.answer')}
        </h2>
        {noModel ? <NoDataSource /> : null}
        {!noModel && !asked ? <p className="empty">{t('data.start')}</p> : null}
        {!noModel && asked && answer.isFetching ? <Loading /> : null}
        {!noModel ? <ErrorMessage error={answer.error} /> : null}
        {!noModel && !answer.isFetching && answer.data?.kind === 'answer' ? (
          <AnswerView answer={answer.data} question={question} />
        ) : null}
        {!noModel && !answer.isFetching && answer.data?.kind === 'clarification' ? (
          <ClarificationView
            clarification={answer.data}
            pending={answer.isFetching}
            onChoose={(choice) => {
              if (answer.data?.kind !== 'clarification') return;
              setFocusAnswer(true);
              navigate(askHref(answerClarification(question, answer.data, choice)));
            }}
          />
        ) : null}
      </section>
    </Page>
  );
}

/** What the model lets people ask about (labels are the company's data, shown as written). */
function ModelSummary({ model }: { model: DataModel }) {
  const { t } = useTranslation();
  const measures = model.model.measures ?? [];
  const dimensions = model.model.dimensions ?? [];
  return (
    <dl className="data-model-summary">
      <dt>{t('data.measures')}</dt>
      <dd translate="no">{measures.map((m) => m.label).join('、') || '—'}</dd>
      <dt>{t('data.dimensions')}</dt>
      <dd translate="no">{dimensions.map((d) => d.label).join('、') || '—'}</dd>
    </dl>
  );
}
