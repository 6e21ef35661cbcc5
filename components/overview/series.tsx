import type { Provider } from '@/db/schema/enums';

/**
 * How each provider is drawn. The two differ in fill *and* texture (solid dark vs light striped),
 * so the chart reads in greyscale and without telling colours apart; the legend names the texture.
 */
export const SERIES_STYLE: Record<
  Provider,
  { fill: string; stroke: string; pattern?: { stripe: string; background: string }; texture: 'solid' | 'striped' }
> = {
  forage: { fill: '#1d5fd1', stroke: '#164cab', texture: 'solid' },
  frontpayment: { fill: '#b45309', stroke: '#92400e', pattern: { stripe: '#b45309', background: '#fef3c7' }, texture: 'striped' },
};

/** A small sample of a series for legends and tooltips: drawn stripe by stripe, so it needs no SVG ids. */
export function SeriesSwatch({ provider }: { provider: Provider }) {
  const style = SERIES_STYLE[provider];
  return (
    <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" className="shrink-0">
      <rect x="0.5" y="0.5" width="13" height="13" rx="2" fill={style.pattern ? style.pattern.background : style.fill} />
      {style.pattern && (
        <path
          d="M0 4.5 4.5 0M0 9.5 9.5 0M0.5 13.5 13.5 0.5M4.5 14 14 4.5M9.5 14 14 9.5"
          stroke={style.pattern.stripe}
          strokeWidth="2"
        />
      )}
      <rect x="0.5" y="0.5" width="13" height="13" rx="2" fill="none" stroke={style.stroke} />
    </svg>
  );
}
