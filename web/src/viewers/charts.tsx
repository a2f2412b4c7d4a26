/** Small inline SVG charts for the profile table (no chart library: a few rectangles each). */

export function NullBar({ nulls, total }: { nulls: number; total: number }) {
  const f = total > 0 ? nulls / total : 0;
  const pct = (f * 100).toFixed(f > 0 && f < 0.01 ? 2 : 0);
  return (
    <span class="null-bar">
      <svg width="80" height="10" role="img" aria-label={`${pct} % null`}>
        <rect width="80" height="10" class="bar-bg" />
        <rect width={Math.max(f > 0 ? 1 : 0, 80 * f)} height="10" class="bar-null" />
      </svg>
      <span class="small">{pct} %</span>
    </span>
  );
}

export function TopValues({ values, total }: { values: { value: string; count: number }[]; total: number }) {
  const shown = values.slice(0, 5);
  const max = Math.max(1, ...shown.map((v) => v.count));
  return (
    <ul class="top-values" aria-label="Top values">
      {shown.map((v) => (
        <li key={v.value}>
          <span class="tv-label mono" title={v.value}>
            {v.value === '' ? '(empty)' : v.value}
          </span>
          <svg width="60" height="8" aria-hidden="true">
            <rect width={(60 * v.count) / max} height="8" class="bar-top" />
          </svg>
          <span class="small muted">{total ? `${Math.round((v.count / total) * 100)} %` : v.count}</span>
        </li>
      ))}
    </ul>
  );
}

export interface Bin {
  from: number;
  to: number;
  count: number;
}

export function Histogram({ bins, label }: { bins: Bin[]; label: string }) {
  const max = Math.max(1, ...bins.map((b) => b.count));
  const w = 120;
  const h = 36;
  const bw = w / Math.max(1, bins.length);
  return (
    <svg class="histogram" width={w} height={h} role="img" aria-label={label}>
      {bins.map((b, i) => {
        const bh = (h * b.count) / max;
        return (
          <rect key={i} x={i * bw + 0.5} y={h - bh} width={Math.max(1, bw - 1)} height={bh} class="bar-hist">
            <title>
              {b.from.toPrecision(4)} – {b.to.toPrecision(4)}: {b.count}
            </title>
          </rect>
        );
      })}
    </svg>
  );
}

/** Equal-width bins over [min, max]. */
export function binValues(values: number[], min: number, max: number, n = 12): Bin[] {
  if (!(max > min)) return [{ from: min, to: max, count: values.length }];
  const step = (max - min) / n;
  const bins: Bin[] = Array.from({ length: n }, (_, i) => ({ from: min + i * step, to: min + (i + 1) * step, count: 0 }));
  for (const v of values) {
    if (!Number.isFinite(v) || v < min || v > max) continue;
    const i = Math.min(n - 1, Math.floor((v - min) / step));
    bins[i]!.count++;
  }
  return bins;
}
