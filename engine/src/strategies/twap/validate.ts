/** TWAP validation (strategies/dca-twap-risk.md §4.5 T1–T5 and the §4.2 ranges). */
import { div, gt, lt, mul } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { ParamIssue } from '../../kernel/strategy.ts';
import type { MarketInfo } from '../../model/market.ts';
import { issue, warning } from '../dca/validate.ts';
import type { TwapParams } from './params.ts';
import { nominalSlice, sliceGeometry } from './schedule.ts';

function range(
  out: ParamIssue[],
  path: string,
  value: Dec | number,
  lo: Dec | number,
  hi: Dec | number,
): void {
  const v = String(value);
  if (lt(v, String(lo)) || gt(v, String(hi)))
    out.push(issue(path, 'twap-out-of-range', `${path} must be within ${lo}–${hi}, was ${v}`));
}

/** Every TWAP rule; T2 and T5 need `referencePrice`. */
export function validateTwap(p: TwapParams, market: MarketInfo, referencePrice?: Dec): ParamIssue[] {
  const out: ParamIssue[] = [];
  if (!gt(p.totalQuantity, '0'))
    out.push(issue('totalQuantity', 'twap-quantity-required', 'totalQuantity must be > 0'));
  range(out, 'durationSec', p.durationSec, 60, 2_592_000);
  if (p.slices.count !== null && p.slices.intervalSec !== null)
    out.push(issue('slices', 'twap-count-and-interval', 'set slices.count or slices.intervalSec, not both'));
  if (p.slices.count !== null) range(out, 'slices.count', p.slices.count, 1, 10_000);
  if (p.slices.intervalSec !== null && p.slices.intervalSec < 1)
    out.push(issue('slices.intervalSec', 'twap-out-of-range', 'slices.intervalSec must be ≥ 1'));
  const { n, intervalMs } = sliceGeometry(p);
  if (intervalMs < 1000)
    out.push(
      issue(
        'slices.count',
        'twap-interval-below-one-second',
        `${n} slices over ${p.durationSec}s leave less than 1 s between slices`,
      ),
    );
  range(out, 'slices.maxSlippageBps', p.slices.maxSlippageBps, 0, 1000);
  range(out, 'slices.passiveOffsetBps', p.slices.passiveOffsetBps, 0, 1000);
  range(out, 'slices.retries', p.slices.retries, 0, 5);
  if (
    p.slices.resubmitAfterSec !== null &&
    (p.slices.resubmitAfterSec < 1 || p.slices.resubmitAfterSec * 1000 >= intervalMs)
  )
    out.push(
      issue(
        'slices.resubmitAfterSec',
        'twap-out-of-range',
        'slices.resubmitAfterSec must be ≥ 1 and below the slice interval',
      ),
    );
  range(out, 'randomization.sizePct', p.randomization.sizePct, 0, 50);
  range(out, 'randomization.timeJitterPct', p.randomization.timeJitterPct, 0, 45);
  range(out, 'catchUp.maxMultiple', p.catchUp.maxMultiple, 1, 10);
  range(out, 'catchUp.maxExtensionSec', p.catchUp.maxExtensionSec, 0, 86_400);
  if (
    p.completion.graceSec !== null &&
    (p.completion.graceSec < 0 || p.completion.graceSec * 1000 > intervalMs)
  )
    out.push(
      issue('completion.graceSec', 'twap-out-of-range', 'completion.graceSec must be within 0–interval'),
    );
  if (p.maxParticipationPct !== null) range(out, 'maxParticipationPct', p.maxParticipationPct, 0, 100);
  if (p.reduceOnly && market.type === 'spot')
    out.push(issue('reduceOnly', 'twap-reduce-only-spot', 'reduceOnly applies to contracts only'));
  if (p.session.calendar !== null && p.session.calendar !== 'XNYS')
    out.push(
      issue(
        'session.calendar',
        'twap-unknown-calendar',
        `unknown calendar ${p.session.calendar}; supported: XNYS`,
      ),
    );
  if (referencePrice !== undefined) minimums(p, market, referencePrice, n, out);
  return out;
}

/** T2: q̄ ≥ minQty and q̄·price ≥ 1.1·minNotional; T5: a buy limit > 20 % below the market mostly pauses. */
function minimums(p: TwapParams, market: MarketInfo, price: Dec, n: number, out: ParamIssue[]): void {
  const base = p.quantityUnit === 'quote' ? div(p.totalQuantity, price) : p.totalQuantity;
  const q = nominalSlice(base, n, market.precision.amount);
  const minQty = market.limits.amount.min;
  const minCost = market.limits.cost.min;
  const tooSmall =
    !gt(q, '0') ||
    (minQty !== undefined && lt(q, minQty)) ||
    (minCost !== undefined && lt(mul(q, price), mul(minCost, '1.1')));
  if (tooSmall) {
    const perSlice = [minQty ?? '0', minCost === undefined ? '0' : div(mul(minCost, '1.1'), price)].reduce(
      (a, b) => (gt(a, b) ? a : b),
    );
    const maxN = gt(perSlice, '0') ? Math.floor(Number(div(base, perSlice))) : n;
    out.push(
      issue(
        'slices.count',
        'twap-slice-below-minimum',
        `a slice of ${q} is below the market minimum; use at most ${maxN} slices`,
      ),
    );
  }
  const limit = p.priceProtection.limitPrice;
  if (limit !== null && p.side === 'buy' && lt(limit, mul(price, '0.8')))
    out.push(
      warning(
        'priceProtection.limitPrice',
        'twap-limit-far-from-market',
        'the buy limit is more than 20 % below the market; the TWAP will mostly pause',
      ),
    );
}
