import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
}

interface FieldProps {
  label: string;
  hint?: string;
  optional?: boolean;
  className?: string;
  /** The control, given the id its label points at and the id of its hint. */
  children: (control: ControlProps) => ReactNode;
}

/** A labelled form control with an optional hint, wired for assistive technology. */
export function Field({ label, hint, optional, className, children }: FieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
        {optional ? <span className="field-optional"> ({t('common.optional')})</span> : null}
      </label>
      {children(hint ? { id, 'aria-describedby': hintId } : { id })}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
