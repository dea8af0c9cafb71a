import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface OneTimeSecretProps {
  title: string;
  label: string;
  value: string;
  warning: string;
  onDismiss: () => void;
}

/** A password or key shown once, with a copy button; closing it forgets the value. */
export function OneTimeSecret({ title, label, value, warning, onDismiss }: OneTimeSecretProps) {
  const { t } = useTranslation();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  const onCopy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopy('copied');
    } catch {
      input.current?.select();
      setCopy('failed');
    }
  };

  return (
    <section className="secret" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="secret-title">
        {title}
      </h3>
      <p className="secret-warning">{warning}</p>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <div className="secret-row">
        <input
          ref={input}
          id={id}
          className="input secret-value"
          readOnly
          value={value}
          translate="no"
          spellCheck={false}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" className="btn btn-primary" onClick={() => void onCopy()}>
          {t('common.copy')}
        </button>
        <button type="button" className="btn" onClick={onDismiss}>
          {t('common.close')}
        </button>
      </div>
      <p className="secret-status" role="status">
        {copy === 'copied' ? t('common.copied') : copy === 'failed' ? t('common.copyFailed') : ''}
      </p>
    </section>
  );
}
