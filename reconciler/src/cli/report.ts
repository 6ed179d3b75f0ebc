/**
 * The self-contained HTML report of a backtest: the §6.2 metrics, equity and drawdown charts as inline
 * SVG (no script, no external asset) and the trades table. Long curves are reduced to at most
 * `MAX_POINTS` points per chart, keeping each bucket's lowest and highest value so drops stay visible.
 */
import type { EquityCurve, Metrics, Trade } from '@tradingtower/engine';

const MAX_POINTS = 1200;
const MAX_TRADE_ROWS = 5000;
const WIDTH = 900;
const HEIGHT = 220;

/** What the report shows. */
export interface ReportInput {
  readonly title: string;
  readonly subtitle: string;
  readonly metrics: Metrics;
  readonly equity: EquityCurve;
  readonly trades: readonly Trade[];
}

const escape = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** Reduces a series to bucket minima and maxima, in time order. */
export function reduceSeries(
  ts: ArrayLike<number>,
  values: ArrayLike<number>,
  maxPoints = MAX_POINTS,
): [number, number][] {
  const n = values.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => [ts[i]!, values[i]!]);
  const bucket = Math.ceil(n / (maxPoints / 2));
  const out: [number, number][] = [];
  for (let start = 0; start < n; start += bucket) {
    let lo = start;
    let hi = start;
    for (let i = start; i < Math.min(n, start + bucket); i++) {
      if (values[i]! < values[lo]!) lo = i;
      if (values[i]! > values[hi]!) hi = i;
    }
    for (const i of lo <= hi ? [lo, hi] : [hi, lo]) out.push([ts[i]!, values[i]!]);
  }
  return out;
}

/** Drawdown in percent below the running peak at every sample. */
export function drawdownSeries(initial: number, equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = initial;
  for (let i = 0; i < equity.length; i++) {
    peak = Math.max(peak, equity[i]!);
    out[i] = peak > 0 ? -((peak - equity[i]!) / peak) * 100 : 0;
  }
  return out;
}

function chart(points: readonly [number, number][], label: string, color: string, fill: boolean): string {
  if (points.length === 0) return `<p>No ${escape(label)} data.</p>`;
  const t0 = points[0]![0];
  const t1 = points[points.length - 1]![0];
  let lo = Math.min(...points.map((p) => p[1]));
  let hi = Math.max(...points.map((p) => p[1]));
  if (hi === lo) [lo, hi] = [lo - 1, hi + 1];
  const x = (t: number): number => (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * (WIDTH - 60)) + 55;
  const y = (v: number): number => 10 + (1 - (v - lo) / (hi - lo)) * (HEIGHT - 40);
  const path = points
    .map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${x(t).toFixed(1)},${y(v).toFixed(1)}`)
    .join('');
  const area = fill
    ? `<path d="${path}L${x(t1).toFixed(1)},${y(hi).toFixed(1)}L${x(t0).toFixed(1)},${y(hi).toFixed(1)}Z" fill="${color}" opacity="0.15"/>`
    : '';
  const date = (t: number): string => new Date(t).toISOString().slice(0, 10);
  return `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escape(label)}" width="100%">
<text x="5" y="${y(hi) + 4}" font-size="11">${hi.toFixed(2)}</text><text x="5" y="${y(lo) + 4}" font-size="11">${lo.toFixed(2)}</text>
<text x="55" y="${HEIGHT - 8}" font-size="11">${date(t0)}</text><text x="${WIDTH - 5}" y="${HEIGHT - 8}" font-size="11" text-anchor="end">${date(t1)}</text>
<line x1="55" x2="${WIDTH - 5}" y1="${y(hi)}" y2="${y(hi)}" stroke="#ddd"/><line x1="55" x2="${WIDTH - 5}" y1="${y(lo)}" y2="${y(lo)}" stroke="#ddd"/>
${area}<path d="${path}" fill="none" stroke="${color}" stroke-width="1.5"/></svg>`;
}

function metricsTable(m: Metrics): string {
  const rows = Object.entries(m).map(
    ([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(String(v))}</td></tr>`,
  );
  return `<table class="metrics">${rows.join('')}</table>`;
}

function tradesTable(trades: readonly Trade[]): string {
  const shown = trades.slice(0, MAX_TRADE_ROWS);
  const head =
    '<tr><th>time (UTC)</th><th>side</th><th>price</th><th>qty</th><th>fee</th><th>liquidity</th><th>client order id</th></tr>';
  const rows = shown.map(
    (t) =>
      `<tr><td>${new Date(t.ts).toISOString().replace('T', ' ').slice(0, 19)}</td><td class="${t.side}">${t.side}</td><td>${escape(t.price)}</td><td>${escape(t.qty)}</td><td>${escape(t.fee)} ${escape(t.feeAsset)}</td><td>${t.liquidity}</td><td><code>${escape(t.clientOrderId)}</code></td></tr>`,
  );
  const more =
    trades.length > shown.length
      ? `<p>First ${shown.length} of ${trades.length} trades (the CSV export has all).</p>`
      : '';
  return `${more}<table class="trades">${head}${rows.join('')}</table>`;
}

/** Renders the report as one HTML document. */
export function renderReport(input: ReportInput): string {
  const { equity, metrics } = input;
  const initial = Number(metrics.initialEquity);
  const equityPoints = reduceSeries(equity.ts, equity.equity);
  const drawdownPoints = reduceSeries(equity.ts, drawdownSeries(initial, equity.equity));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(input.title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:960px;color:#222}
table{border-collapse:collapse;font-size:13px}th,td{padding:2px 8px;border-bottom:1px solid #eee;text-align:left}
td{font-variant-numeric:tabular-nums}.buy{color:#0a7d32}.sell{color:#b3261e}.metrics th{font-weight:600}
</style></head><body>
<h1>${escape(input.title)}</h1><p>${escape(input.subtitle)}</p>
<h2>Metrics</h2>${metricsTable(metrics)}
<h2>Equity</h2>${chart(equityPoints, 'equity', '#1f5fbf', false)}
<h2>Drawdown (%)</h2>${chart(drawdownPoints, 'drawdown', '#b3261e', true)}
<h2>Trades (${input.trades.length})</h2>${tradesTable(input.trades)}
</body></html>
`;
}
