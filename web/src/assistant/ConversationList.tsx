import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Conversation } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog } from '../components/Dialog';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { Loading } from '../components/Page';

export const CONVERSATIONS_KEY = ['conversations'] as const;

/** The signed-in user's conversations, most recent first: open, rename, delete (after asking). */
export function ConversationList({
  selected,
  onSelect,
  onDeleted,
}: {
  selected: string | null;
  onSelect: (id: string | null) => void;
  onDeleted: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const conversations = useQuery({
    queryKey: CONVERSATIONS_KEY,
    queryFn: () =>
      api<{ conversations: Conversation[] }>('GET', '/api/v1/conversations').then((a) => a.conversations),
  });
  const [renaming, setRenaming] = useState<Conversation | null>(null);
  const [deleting, setDeleting] = useState<Conversation | null>(null);
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'short' });

  return (
    <nav className="card conversation-list" aria-labelledby="conversations-title">
      <div className="card-header">
        <h2 id="conversations-title" className="card-title">
          {t('assistant.conversations')}
        </h2>
        <button type="button" className="btn btn-small" onClick={() => onSelect(null)}>
          {t('assistant.newConversation')}
        </button>
      </div>
      {conversations.isPending ? <Loading /> : null}
      <ErrorMessage error={conversations.error} />
      {conversations.data?.length === 0 ? <p className="empty">{t('assistant.noConversations')}</p> : null}
      <ul className="conversation-items">
        {conversations.data?.map((c) => (
          <li key={c.id} className={c.id === selected ? 'conversation-item is-current' : 'conversation-item'}>
            <button
              type="button"
              className="conversation-open"
              aria-current={c.id === selected ? 'true' : undefined}
              onClick={() => onSelect(c.id)}
            >
              <span className="conversation-title" translate="no">
                {c.title}
              </span>
              <span className="conversation-date">{date.format(new Date(c.updatedAt))}</span>
            </button>
            <span className="conversation-actions">
              <button
                type="button"
                className="btn btn-small btn-ghost"
                aria-label={t('assistant.renameOf', { title: c.title })}
                onClick={() => setRenaming(c)}
              >
                {t('assistant.rename')}
              </button>
              <button
                type="button"
                className="btn btn-small btn-ghost"
                aria-label={t('assistant.deleteOf', { title: c.title })}
                onClick={() => setDeleting(c)}
              >
                {t('assistant.delete')}
              </button>
            </span>
          </li>
        ))}
      </ul>
      {renaming ? <RenameDialog conversation={renaming} onClose={() => setRenaming(null)} /> : null}
      {deleting ? (
        <DeleteDialog
          conversation={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            onDeleted(deleting.id);
            setDeleting(null);
          }}
        />
      ) : null}
    </nav>
  );
}

function RenameDialog({ conversation, onClose }: { conversation: Conversation; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(conversation.title);
  const rename = useMutation({
    mutationFn: () =>
      api<Conversation>('PATCH', `/api/v1/conversations/${conversation.id}`, { title: title.trim() }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: CONVERSATIONS_KEY });
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (title.trim()) rename.mutate();
  };
  return (
    <Dialog title={t('assistant.renameTitle')} onClose={onClose}>
      <form onSubmit={submit}>
        <Field label={t('assistant.titleLabel')}>
          {(control) => (
            <input
              {...control}
              className="input"
              required
              maxLength={200}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              data-autofocus
            />
          )}
        </Field>
        <ErrorMessage error={rename.error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={rename.isPending}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteDialog({
  conversation,
  onClose,
  onDeleted,
}: {
  conversation: Conversation;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => api<void>('DELETE', `/api/v1/conversations/${conversation.id}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: CONVERSATIONS_KEY });
      onDeleted();
    },
  });
  return (
    <ConfirmDialog
      title={t('assistant.deleteTitle')}
      body={t('assistant.deleteBody', { title: conversation.title })}
      confirmLabel={t('assistant.delete')}
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate()}
      onClose={onClose}
    />
  );
}
