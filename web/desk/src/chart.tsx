import type { LabelStyle } from './labels.js';

export interface DaySeries {
  /** Every day of the range, oldest first (YYYY-MM-DD, UTC). */
  days: string[];
  /** Label ids in the order stacked (bottom first). */
  labels: string[];
  /** count(day, label). */
  count: (day: string, label: string) => number;
}

const H = 240;
const PAD = { left: 36, right: 8, top: 10, bottom: 28 };

/**
 * Labelled articles per day as stacked bars, one colour per label, drawn as SVG (no canvas: every bar is
 * an element with its count, readable by tests and assistive technology; the same figures are in the
 * table beside it).
 */
export function LabelChart({ series, styleOf, width }: { series: DaySeries; styleOf: (id: string) => LabelStyle; width: number }) {
  // Drawn at the width it is shown at, so its text keeps its size on a phone and on a wide screen.
  const W = Math.max(280, Math.round(width));
  const totals = series.days.map((day) => series.labels.reduce((n, label) => n + series.count(day, label), 0));
  const max = Math.max(1, ...totals);
  const top = niceCeil(max);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, series.days.length);
  const barW = Math.max(2, Math.min(28, step * 0.7));
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const every = Math.ceil(series.days.length / Math.max(2, Math.floor(plotW / 56)));
  const total = totals.reduce((a, b) => a + b, 0);
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Labelled articles per day, ${series.days[0] ?? ''} to ${series.days.at(-1) ?? ''}: ${total} labels in all`}>
      {[0, top / 2, top].map((v) => (
        <g key={v} class="tick">
          <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} />
          <text x={PAD.left - 6} y={y(v) + 4} text-anchor="end">
            {Number.isInteger(v) ? v : v.toFixed(1)}
          </text>
        </g>
      ))}
      {series.days.map((day, i) => {
        const x = PAD.left + i * step + (step - barW) / 2;
        let base = 0;
        return (
          <g key={day} data-day={day} data-total={totals[i]}>
            {series.labels.map((label) => {
              const n = series.count(day, label);
              if (n === 0) return null;
              const rect = (
                <rect key={label} class={`bar ${styleOf(label).cls}`} x={x} width={barW} y={y(base + n)} height={Math.max(0, y(base) - y(base + n))} data-label={label} data-count={n}>
                  <title>{`${day} · ${styleOf(label).name}: ${n}`}</title>
                </rect>
              );
              base += n;
              return rect;
            })}
            {i % every === 0 && (
              <text class="day" x={x + barW / 2} y={H - 8} text-anchor="middle">
                {day.slice(5)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

function niceCeil(v: number): number {
  if (v <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(v));
  for (const f of [1, 2, 2.5, 5, 10]) if (f * magnitude >= v) return f * magnitude;
  return 10 * magnitude;
}

/** Every UTC day from `since` to `until` inclusive (YYYY-MM-DD). */
export function daysBetween(since: string, until: string): string[] {
  const out: string[] = [];
  const d = new Date(`${since}T00:00:00Z`);
  const end = new Date(`${until}T00:00:00Z`);
  while (d <= end && out.length < 400) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}
