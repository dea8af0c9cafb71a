/**
 * A labelled progress bar: `value` from 0 to 1, or null while the amount is unknown (the bar then
 * moves without claiming a figure). The text beside it says what the figure means.
 */
export function ProgressBar({
  label,
  value,
  text,
  state = 'active',
}: {
  label: string;
  value: number | null;
  text: string;
  state?: 'active' | 'done' | 'failed';
}) {
  const percent = value === null ? null : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div className={`progress progress-${state}`}>
      <div
        className={`progress-track${percent === null ? ' progress-indeterminate' : ''}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={text}
      >
        <div className="progress-fill" style={percent === null ? undefined : { width: `${percent}%` }} />
      </div>
      <p className="progress-text" aria-live="polite">
        {text}
      </p>
    </div>
  );
}
