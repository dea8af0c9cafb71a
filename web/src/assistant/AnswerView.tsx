import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { AnswerMode, Citation, ConversationMessage } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { viewerHref } from '../documents/viewer-link';
import { Link } from '../router/router';

export interface AnswerState {
  content: string;
  mode: AnswerMode | null;
  found: boolean | null;
  citations: Citation[];
  streaming: boolean;
  incomplete?: boolean;
}

/** One answer: its text as it streams, its mode, "not found" as such, and its citations as chips. */
export function AnswerView({ answer, back }: { answer: AnswerState; back: string }) {
  const { t } = useTranslation();
  return (
    <div className="answer" aria-busy={answer.streaming}>
      <div className="answer-labels">
        {answer.mode ? (
          <span className={`badge badge-${answer.mode}`} data-testid="answer-mode">
            {t(`assistant.mode.${answer.mode}`)}
          </span>
        ) : null}
        {answer.found === false ? (
          <span className="badge badge-warning" data-testid="answer-not-found">
            {t('assistant.notFound')}
          </span>
        ) : null}
        {answer.streaming ? <span className="answer-streaming">{t('assistant.answering')}</span> : null}
        {answer.incomplete ? <span className="badge badge-warning">{t('assistant.incomplete')}</span> : null}
      </div>
      <p className="answer-text" translate="no" data-testid="answer-text">
        {answer.content}
      </p>
      {answer.citations.length > 0 ? (
        <ul className="citation-chips" aria-label={t('assistant.citations')}>
          {answer.citations.map((c) => (
            <li key={c.n}>
              <Link
                className="chip"
                to={viewerHref(
                  c.documentId,
                  { ordinal: c.chunkOrdinal, quote: c.quote, anchor: c.anchor },
                  back,
                )}
                title={c.quote}
              >
                <span className="chip-number">[{c.n}]</span> <span translate="no">{c.title}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Good or bad, with an optional comment; replaces earlier feedback on the same answer. */
export function FeedbackForm({
  conversationId,
  message,
}: {
  conversationId: string;
  message: ConversationMessage;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [rating, setRating] = useState<'good' | 'bad' | null>(message.feedback?.rating ?? null);
  const [comment, setComment] = useState(message.feedback?.comment ?? '');
  const [sent, setSent] = useState(message.feedback !== null);
  const save = useMutation({
    mutationFn: (r: 'good' | 'bad') =>
      api<void>('PUT', `/api/v1/conversations/${conversationId}/messages/${message.id}/feedback`, {
        rating: r,
        comment: comment.trim() ? comment.trim() : null,
      }),
    onSuccess: () => {
      setSent(true);
      void queryClient.invalidateQueries({ queryKey: ['conversation', conversationId] });
    },
  });
  const choose = (r: 'good' | 'bad') => {
    setRating(r);
    setSent(false);
    save.mutate(r);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (rating) save.mutate(rating);
  };
  return (
    <form className="feedback" onSubmit={submit} aria-label={t('assistant.feedback')}>
      <div className="feedback-buttons" role="group" aria-label={t('assistant.feedbackQuestion')}>
        <span className="feedback-question">{t('assistant.feedbackQuestion')}</span>
        <button
          type="button"
          className="btn btn-small"
          aria-pressed={rating === 'good'}
          onClick={() => choose('good')}
        >
          {t('assistant.good')}
        </button>
        <button
          type="button"
          className="btn btn-small"
          aria-pressed={rating === 'bad'}
          onClick={() => choose('bad')}
        >
          {t('assistant.bad')}
        </button>
      </div>
      {rating ? (
        <div className="form-row">
          <Field label={t('assistant.comment')} optional className="field-grow">
            {(control) => (
              <input
                {...control}
                className="input"
                maxLength={2000}
                value={comment}
                onChange={(e) => {
                  setComment(e.target.value);
                  setSent(false);
                }}
              />
            )}
          </Field>
          <button type="submit" className="btn btn-small" disabled={save.isPending}>
            {t('assistant.sendFeedback')}
          </button>
        </div>
      ) : null}
      <ErrorMessage error={save.error} />
      <p role="status" className={sent && !save.isPending ? 'feedback-thanks' : 'visually-hidden'}>
        {sent && !save.isPending ? t('assistant.feedbackSaved') : ''}
      </p>
    </form>
  );
}
