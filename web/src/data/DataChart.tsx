import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The answer's Vega-Lite chart, drawn by vega-embed as SVG. Vega is large: it is loaded on the
 * first chart (its own chunk), so the console's initial JavaScript stays small.
 */
export function DataChart({ spec, description }: { spec: Record<string, unknown>; description: string }) {
  const { t } = useTranslation();
  const target = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'drawn' | 'failed'>('loading');

  useEffect(() => {
    let cancelled = false;
    let finalize: (() => void) | undefined;
    setState('loading');
    import('vega-embed')
      .then(({ default: embed }) => {
        if (cancelled || !target.current) return undefined;
        // The description becomes the SVG's accessible name.
        return embed(target.current, { ...spec, description } as never, {
          actions: false,
          renderer: 'svg',
        });
      })
      .then((result) => {
        if (!result) return;
        if (cancelled) result.finalize();
        else {
          finalize = () => result.finalize();
          setState('drawn');
        }
      })
      .catch(() => {
        if (!cancelled) setState('failed');
      });
    return () => {
      cancelled = true;
      finalize?.();
    };
  }, [spec, description]);

  return (
    <>
      {state === 'loading' ? (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('data.chartLoading')}
        </p>
      ) : null}
      {state === 'failed' ? <p className="alert alert-error">{t('data.chartFailed')}</p> : null}
      {/* Axis titles and categories come from the company's data model: data, not interface text. */}
      <div ref={target} className="data-chart" translate="no" data-testid="data-chart" />
    </>
  );
}
