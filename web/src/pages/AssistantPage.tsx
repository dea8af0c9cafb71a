import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client';
import type { ConversationDetail } from '../api/types';
import { askStream } from '../assistant/ask-stream';
import { AnswerView, FeedbackForm, type AnswerState } from '../assistant/AnswerView';
import { CONVERSATIONS_KEY, ConversationList } from '../assistant/ConversationList';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Loading, Page } from '../components/Page';
import { navigate, useSearch } from '../router/router';

interface PendingTurn {
  question: string;
  answer: AnswerState;
}

const conversationKey = (id: string) => ['conversation', id] as const;

/**
 * Ask the company's documents. The open conversation lives in the address (/assistant?c=…), so the
 * viewer's "back" from a citation returns to it. The answer streams in; the question box stays
 * usable throughout (typing never waits for the network).
 */
export default function AssistantPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const search = useSearch();
  const selected = new URLSearchParams(search).get('c');
  const [draft, setDraft] = useState('');
  const [pending, setPending] = useState<PendingTurn | null>(null);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  const endOfThread = useRef<HTMLDivElement>(null);

  const conversation = useQuery({
    queryKey: conversationKey(selected ?? ''),
    queryFn: () => api<ConversationDetail>('GET', `/api/v1/conversations/${encodeURIComponent(selected!)}`),
    enabled: selected !== null,
  });

  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => {
    endOfThread.current?.scrollIntoView({ block: 'end' });
  }, [pending?.answer.content, conversation.data?.messages.length]);

  const select = (id: string | null) => {
    abort.current?.abort();
    abort.current = null;
    setPending(null);
    setError(null);
    navigate(id ? `/assistant?c=${encodeURIComponent(id)}` : '/assistant');
  };

  const ask = async (question: string) => {
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    let answer: AnswerState = { content: '', mode: null, found: null, citations: [], streaming: true };
    setPending({ question, answer });
    const update = (patch: Partial<AnswerState>) => {
      answer = { ...answer, ...patch };
      setPending({ question, answer });
    };
    try {
      for await (const event of askStream(question, selected, controller.signal)) {
        if (event.type === 'text') update({ content: answer.content + event.delta });
        else if (event.type === 'citation') update({ citations: [...answer.citations, event.citation] });
        else if (event.type === 'error') throw new ApiError(500, event.code, event.message);
        else {
          update({ mode: event.mode, found: event.found, streaming: false });
          void queryClient.invalidateQueries({ queryKey: CONVERSATIONS_KEY });
          if (event.conversationId) {
            await queryClient.refetchQueries({ queryKey: conversationKey(event.conversationId) });
            if (event.conversationId !== selected) {
              navigate(`/assistant?c=${encodeURIComponent(event.conversationId)}`, { replace: !selected });
            }
            setPending(null);
          }
        }
      }
    } catch (cause) {
      if (controller.signal.aborted) {
        // Stopped by the user: keep what arrived, marked incomplete (leaving the conversation drops it).
        if (abort.current === controller) update({ streaming: false, incomplete: true });
        return;
      }
      setError(cause);
      update({ streaming: false, incomplete: true });
      // Refused before any answer (a limit, the network): the question goes back into the box.
      if (answer.content === '') setDraft((current) => (current === '' ? question : current));
    } finally {
      if (abort.current === controller) abort.current = null;
    }
  };

  const streaming = pending?.answer.streaming === true;
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const question = draft.trim();
    if (!question || streaming) return;
    setDraft('');
    void ask(question);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  const back = selected ? `/assistant?c=${encodeURIComponent(selected)}` : '/assistant';
  const messages = selected ? (conversation.data?.messages ?? []) : [];

  return (
    <Page title={t('assistant.title')} description={t('assistant.description')}>
      <div className="assistant-layout">
        <ConversationList
          selected={selected}
          onSelect={select}
          onDeleted={(id) => {
            queryClient.removeQueries({ queryKey: conversationKey(id) });
            if (id === selected) select(null);
          }}
        />
        <section className="card assistant-thread" aria-labelledby="thread-title">
          <h2 id="thread-title" className="card-title" translate={conversation.data ? 'no' : undefined}>
            {selected && conversation.data ? conversation.data.title : t('assistant.newConversation')}
          </h2>
          {selected && conversation.isPending ? <Loading /> : null}
          <ErrorMessage error={selected ? conversation.error : null} />
          {!selected && !pending ? <p className="empty">{t('assistant.start')}</p> : null}
          <ol className="thread" aria-live="polite">
            {messages.map((m) =>
              m.role === 'user' ? (
                <li key={m.id} className="turn turn-question" translate="no">
                  {m.content}
                </li>
              ) : (
                <li key={m.id} className="turn turn-answer">
                  <AnswerView
                    back={back}
                    answer={{
                      content: m.content,
                      mode: m.mode,
                      found: m.found,
                      citations: m.citations,
                      streaming: false,
                      incomplete: m.status === 'incomplete',
                    }}
                  />
                  {selected ? <FeedbackForm conversationId={selected} message={m} /> : null}
                </li>
              ),
            )}
            {pending ? (
              <>
                <li className="turn turn-question" translate="no">
                  {pending.question}
                </li>
                <li className="turn turn-answer">
                  <AnswerView answer={pending.answer} back={back} />
                </li>
              </>
            ) : null}
          </ol>
          <div ref={endOfThread} />
          <ErrorMessage error={error} />
          <form className="ask-form" onSubmit={submit}>
            <Field label={t('assistant.question')} hint={t('assistant.questionHint')} className="field-grow">
              {(control) => (
                <textarea
                  {...control}
                  className="input ask-input"
                  rows={3}
                  maxLength={2000}
                  value={draft}
                  onChange={(e) => setDraft(e.target.value)}
                  onKeyDown={onKeyDown}
                />
              )}
            </Field>
            <div className="ask-actions">
              {streaming ? (
                <button type="button" className="btn" onClick={() => abort.current?.abort()}>
                  {t('assistant.stop')}
                </button>
              ) : null}
              <button type="submit" className="btn btn-primary" disabled={streaming || !draft.trim()}>
                {streaming ? t('assistant.answering') : t('assistant.ask')}
              </button>
            </div>
          </form>
        </section>
      </div>
    </Page>
  );
}
