/**
 * DCA validation (strategies/dca-twap-risk.md §2.5 V1–V10 and the §2.2 ranges). Issues carry the
 * document's param path and a stable kebab-case code; V6 and the V7 "tp < 3f" case are warnings.
 */
import { div, gt, gte, lt, lte, mul, sum } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { ParamIssue } from '../../kernel/strategy.ts';
import type { MarketInfo } from '../../model/market.ts';
import {
  averagePrice,
  cumulativeDeviations,
  planLadder,
  quantityOf,
  requiredFunds,
  roundEntryPrice,
  stopLossPrice,
} from './ladder.ts';
import type { SizingContext } from './ladder.ts';
import type { DcaParams } from './params.ts';
import { supportedTimeframe } from './start.ts';

/** An error issue. */
export const issue = (path: string, code: string, message: string): ParamIssue => ({ path, code, message });
/** A warning issue. */
export const warning = (path: string, code: string, message: string): ParamIssue => ({
  path,
  code,
  message,
  severity: 'warning',
});

/** The fee rate for validation: `feeRateOverridePct`, else the market's taker rate. */
export const validationFee = (p: DcaParams, market: MarketInfo): Dec =>
  p.feeRateOverridePct === null ? market.taker : div(p.feeRateOverridePct, '100');

/** Every DCA (spot) rule. */
export function validateDca(p: DcaParams, market: MarketInfo, referencePrice?: Dec): ParamIssue[] {
  const out = validateDcaCommon(p, market, { leverage: '1', maxQuote: p.budget.maxQuote }, referencePrice);
  if (market.type !== 'spot')
    out.push(issue('', 'dca-market-not-spot', `DCA needs a spot market, ${market.symbol} is ${market.type}`));
  const unitsKnown = p.baseOrder.sizeUnit !== 'base' && p.safetyOrders.sizeUnit !== 'base';
  const price = referencePrice ?? (unitsKnown ? '1' : undefined);
  if (price !== undefined && gt(p.budget.maxQuote, '0')) {
    const required = requiredFunds(p, price, validationFee(p, market));
    if (gt(required, p.budget.maxQuote))
      out.push(
        issue(
          'budget.maxQuote',
          'dca-budget-below-required-funds',
          `budget.maxQuote ${p.budget.maxQuote} is below the required funds ${required} (base + all safety orders + fee headroom)`,
        ),
      );
  }
  return out;
}

/** Rules shared by DCA and DCA Futures (everything except the budget formula). */
export function validateDcaCommon(
  p: DcaParams,
  market: MarketInfo,
  sizing: SizingContext,
  referencePrice?: Dec,
): ParamIssue[] {
  const out: ParamIssue[] = [];
  ranges(p, out);
  ladderRules(p, out);
  exitRules(p, market, out);
  startRules(p, out);
  if (referencePrice !== undefined) minimums(p, market, sizing, referencePrice, out);
  return out;
}

function between(out: ParamIssue[], path: string, v: Dec | number, lo: Dec | number, hi: Dec | number): void {
  const value = String(v);
  if (lt(value, String(lo)) || gt(value, String(hi)))
    out.push(issue(path, 'dca-out-of-range', `${path} must be within ${lo}–${hi}, was ${value}`));
}

function ranges(p: DcaParams, out: ParamIssue[]): void {
  if (!gt(p.baseOrder.size, '0'))
    out.push(issue('baseOrder.size', 'dca-size-required', 'baseOrder.size must be > 0'));
  if (!gt(p.budget.maxQuote, '0'))
    out.push(issue('budget.maxQuote', 'dca-budget-required', 'budget.maxQuote must be > 0'));
  between(out, 'baseOrder.limitOffsetPct', p.baseOrder.limitOffsetPct, 0, 5);
  if (p.baseOrder.fillTimeoutSec < 10)
    out.push(issue('baseOrder.fillTimeoutSec', 'dca-out-of-range', 'baseOrder.fillTimeoutSec must be ≥ 10'));
  between(out, 'safetyOrders.maxCount', p.safetyOrders.maxCount, 0, 200);
  between(out, 'safetyOrders.stepScale', p.safetyOrders.stepScale, '0.1', 10);
  between(out, 'safetyOrders.volumeScale', p.safetyOrders.volumeScale, '0.1', 10);
  between(out, 'safetyOrders.marketActivationBandPct', p.safetyOrders.marketActivationBandPct, '0.01', 2);
  between(out, 'stopLoss.timeoutSec', p.stopLoss.timeoutSec, 0, 86_400);
  between(out, 'deal.cooldownSec', p.deal.cooldownSec, 0, 2_592_000);
  between(out, 'deal.startDelaySec', p.deal.startDelaySec, 0, 86_400);
  between(out, 'reinvest.pct', p.reinvest.pct, 0, '100');
  if (p.deal.timeoutSec !== 0 && p.deal.timeoutSec < 60)
    out.push(
      issue(
        'deal.timeoutSec',
        'dca-out-of-range',
        `deal.timeoutSec must be 0 (off) or ≥ 60, was ${p.deal.timeoutSec}`,
      ),
    );
  if (p.deal.maxDeals !== null && p.deal.maxDeals < 1)
    out.push(issue('deal.maxDeals', 'dca-out-of-range', 'deal.maxDeals must be ≥ 1'));
  if (p.feeRateOverridePct !== null) between(out, 'feeRateOverridePct', p.feeRateOverridePct, 0, '1');
}

function ladderRules(p: DcaParams, out: ParamIssue[]): void {
  const so = p.safetyOrders;
  const custom = so.customLevels;
  if (so.maxCount > 0 && !custom && !gt(so.size, '0'))
    out.push(
      issue(
        'safetyOrders.size',
        'dca-size-required',
        'safetyOrders.size must be > 0 when safetyOrders.maxCount > 0',
      ),
    );
  if (!custom && so.maxCount > 0 && !gt(so.deviationPct, '0'))
    out.push(issue('safetyOrders.deviationPct', 'dca-out-of-range', 'safetyOrders.deviationPct must be > 0'));
  if (so.maxCount > 0 && (so.maxActive < 1 || so.maxActive > so.maxCount))
    out.push(
      issue(
        'safetyOrders.maxActive',
        'dca-max-active-exceeds-count',
        `safetyOrders.maxActive must be within 1–${so.maxCount}, was ${so.maxActive}`,
      ),
    );
  custom?.forEach((level, i) => {
    const prev = custom[i - 1];
    if (!gt(level.deviationPct, prev?.deviationPct ?? '0'))
      out.push(
        issue(
          `safetyOrders.customLevels.${i}.deviationPct`,
          'dca-custom-levels-not-increasing',
          'custom level deviations must be > 0 and strictly increasing',
        ),
      );
    if (!gt(level.size, '0'))
      out.push(issue(`safetyOrders.customLevels.${i}.size`, 'dca-size-required', 'size must be > 0'));
  });
  const deviations = cumulativeDeviations(so);
  const deepest = deviations[deviations.length - 1];
  if (p.direction === 'long' && deepest !== undefined && gt(deepest, '0.95'))
    out.push(
      issue(
        custom ? 'safetyOrders.customLevels' : 'safetyOrders.deviationPct',
        'dca-deviation-too-deep',
        `the last safety order sits ${mul(deepest, '100')} % below the base price; at most 95 % is allowed`,
      ),
    );
}

function exitRules(p: DcaParams, market: MarketInfo, out: ParamIssue[]): void {
  const tp = p.takeProfit;
  if (!gt(tp.pct, '0') || gt(tp.pct, '1000'))
    out.push(issue('takeProfit.pct', 'dca-out-of-range', 'takeProfit.pct must be within (0, 1000]'));
  if (tp.trailing.enabled && (!gt(tp.trailing.deviationPct, '0') || !lt(tp.trailing.deviationPct, tp.pct)))
    out.push(
      issue(
        'takeProfit.trailing.deviationPct',
        'dca-trailing-deviation-not-below-take-profit',
        `takeProfit.trailing.deviationPct ${tp.trailing.deviationPct} must be > 0 and < takeProfit.pct ${tp.pct}`,
      ),
    );
  const f = validationFee(p, market);
  const tpRatio = div(tp.pct, '100');
  if (!gt(tpRatio, mul('2', f)))
    out.push(
      issue(
        'takeProfit.pct',
        'dca-take-profit-below-fees',
        `takeProfit.pct ${tp.pct} does not cover two fees of ${mul(f, '100')} %`,
      ),
    );
  else if (lt(tpRatio, mul('3', f)))
    out.push(
      warning('takeProfit.pct', 'dca-take-profit-thin', `takeProfit.pct ${tp.pct} is below three fees`),
    );
  const sl = p.stopLoss.pct;
  if (lt(sl, '0') || (p.direction === 'long' && !lt(sl, '100')))
    out.push(
      issue('stopLoss.pct', 'dca-out-of-range', 'stopLoss.pct must be 0 (off) or > 0 and, for long, < 100'),
    );
  stopBeforeLadder(p, out);
}

/** V6: with SL from the average, the SL after the last SO must lie beyond that SO (warning). */
function stopBeforeLadder(p: DcaParams, out: ParamIssue[]): void {
  if (!gt(p.stopLoss.pct, '0') || p.stopLoss.base !== 'average' || p.safetyOrders.maxCount === 0) return;
  const sizing = { leverage: '1', maxQuote: p.budget.maxQuote };
  const levels = planLadder(p, '1');
  const last = levels[levels.length - 1];
  if (!last) return;
  const qtys = [
    quantityOf(p.baseOrder.size, p.baseOrder.sizeUnit, '1', sizing),
    ...levels.map((l) => quantityOf(l.size, p.safetyOrders.sizeUnit, l.price, sizing)),
  ];
  const cost = sum([qtys[0]!, ...levels.map((l, i) => mul(qtys[i + 1]!, l.price))]);
  const sl = stopLossPrice(averagePrice(cost, sum(qtys)), p.direction, p.stopLoss.pct);
  const early = p.direction === 'long' ? gte(sl, last.price) : lte(sl, last.price);
  if (early)
    out.push(
      warning(
        'stopLoss.pct',
        'dca-stop-loss-before-last-safety-order',
        'the stop loss after the last safety order fires before that order can fill',
      ),
    );
}

function startRules(p: DcaParams, out: ParamIssue[]): void {
  const s = p.start;
  if (s.mode === 'webhook' && s.webhook.secretRef === null)
    out.push(
      issue(
        'start.webhook.secretRef',
        'dca-webhook-secret-required',
        'start.mode webhook needs start.webhook.secretRef',
      ),
    );
  if (s.mode === 'indicator' && (!s.indicator || !supportedTimeframe(s.indicator.timeframe)))
    out.push(
      issue(
        'start.indicator',
        'dca-indicator-unsupported',
        'start.mode indicator needs an RSI with a supported timeframe',
      ),
    );
  if (s.indicator) between(out, 'start.indicator.threshold', s.indicator.threshold, 1, '100');
  if (s.mode === 'price' && !s.price)
    out.push(
      issue(
        'start.price.triggerPrice',
        'dca-trigger-price-required',
        'start.mode price needs start.price.triggerPrice',
      ),
    );
  if (s.minPrice !== null && s.maxPrice !== null && !lt(s.minPrice, s.maxPrice))
    out.push(issue('start.maxPrice', 'dca-price-band-empty', 'start.minPrice must be below start.maxPrice'));
}

/** V2/V3: every order after rounding meets the market's minimum amount, notional and price. */
function minimums(p: DcaParams, market: MarketInfo, sizing: SizingContext, p0: Dec, out: ParamIssue[]): void {
  const lot = market.precision.amount;
  const baseQty = quantityOf(p.baseOrder.size, p.baseOrder.sizeUnit, p0, sizing, lot);
  checkOrder(market, baseQty, p0, 'baseOrder.size', 'base order', out);
  for (const level of planLadder(p, p0)) {
    const price = roundEntryPrice(level.price, p.direction, market.precision.price);
    const qty = quantityOf(level.size, p.safetyOrders.sizeUnit, price, sizing, lot);
    const path = p.safetyOrders.customLevels
      ? `safetyOrders.customLevels.${level.k - 1}.size`
      : 'safetyOrders.size';
    checkOrder(market, qty, price, path, `safety order ${level.k}`, out);
    if (market.limits.price?.min !== undefined && lt(price, market.limits.price.min))
      out.push(
        issue(
          'safetyOrders.deviationPct',
          'dca-price-below-market-minimum',
          `safety order ${level.k} price ${price} is below the market minimum`,
        ),
      );
  }
}

function checkOrder(
  market: MarketInfo,
  qty: Dec,
  price: Dec,
  path: string,
  what: string,
  out: ParamIssue[],
): void {
  const minQty = market.limits.amount.min;
  const minCost = market.limits.cost.min;
  if (!gt(qty, '0') || (minQty !== undefined && lt(qty, minQty)))
    out.push(
      issue(
        path,
        'dca-below-min-amount',
        `${what}: quantity ${qty} after rounding is below the minimum ${minQty ?? 'lot'}`,
      ),
    );
  else if (minCost !== undefined && lt(mul(qty, price), minCost))
    out.push(
      issue(
        path,
        'dca-below-min-notional',
        `${what}: notional ${mul(qty, price)} after rounding is below the minimum ${minCost}`,
      ),
    );
}
