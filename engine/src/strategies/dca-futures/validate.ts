/** DCA Futures validation: the shared DCA rules plus §3.5 F1–F4 (leverage, projection, budget, linear market). */
import { add, gt, lt, mul, sum } from '../../core/decimal.ts';
import type { Dec } from '../../core/decimal.ts';
import type { ParamIssue } from '../../kernel/strategy.ts';
import type { MarketInfo } from '../../model/market.ts';
import { issue, validateDcaCommon, validationFee, warning } from '../dca/validate.ts';
import type { DcaFuturesParams } from './params.ts';
import { projectionFailures, projectLadder } from './projection.ts';

/** Every DCA Futures rule; the projection and budget need a reference price (else P_0 = 100 scales exactly for margin sizes). */
export function validateDcaFutures(
  p: DcaFuturesParams,
  market: MarketInfo,
  referencePrice?: Dec,
): ParamIssue[] {
  const out = validateDcaCommon(
    p,
    market,
    { leverage: p.leverage, maxQuote: p.budget.maxQuote },
    referencePrice,
  );
  if (market.type !== 'swap' || market.linear === false)
    out.push(
      issue(
        '',
        'dca-futures-market-not-linear',
        `DCA Futures needs a linear perpetual, ${market.symbol} is ${market.type}`,
      ),
    );
  if (p.positionMode !== 'oneWay')
    out.push(
      issue('positionMode', 'dca-futures-hedge-mode-unsupported', 'v1 supports positionMode oneWay only'),
    );
  const maxLeverage = market.limits.leverage?.max;
  if (lt(p.leverage, '1') || (maxLeverage !== undefined && gt(p.leverage, maxLeverage)))
    out.push(
      issue(
        'leverage',
        'dca-futures-leverage-out-of-range',
        `leverage must be within 1–${maxLeverage ?? '∞'}, was ${p.leverage}`,
      ),
    );
  const usesBase = p.baseOrder.sizeUnit === 'base' || p.safetyOrders.sizeUnit === 'base';
  if (referencePrice === undefined && usesBase) return out;
  const levels = projectLadder(p, referencePrice ?? '100', market.maintenanceMarginRate ?? '0');
  for (const f of projectionFailures(p, levels)) {
    const message = `projected liquidation ${f.liquidation} after level ${f.k} is beyond ${f.limit} (${f.rule}); lower the leverage or the ladder depth`;
    out.push(
      p.marginMode === 'cross'
        ? warning('leverage', 'dca-futures-liquidation-before-ladder', message)
        : issue('leverage', 'dca-futures-liquidation-before-ladder', message),
    );
  }
  // F3: Σ margin + opening and closing fees on the whole notional ≤ budget.maxQuote.
  const fee = validationFee(p, market);
  const notional = sum(levels.map((l) => l.notional));
  const needed = add(sum(levels.map((l) => l.margin)), mul(mul(notional, fee), '2'));
  if (gt(needed, p.budget.maxQuote))
    out.push(
      issue(
        'budget.maxQuote',
        'dca-futures-budget-below-margin',
        `budget.maxQuote ${p.budget.maxQuote} is below the ladder's margin plus fees ${needed}`,
      ),
    );
  return out;
}
