/**
 * The basic risk gate between intents and the exchange (DESIGN §6, strategies/dca-twap-risk.md §6.2):
 * a list of pure checks, each returning a denial reason or nothing. A denial is a decision, not an
 * exception; the kernel turns it into a RiskDenied event. Extend the gate by adding checks.
 */
import { D, dec, str, type Dec } from '../core/decimal.ts';
import type { MarketInfo } from '../model/market.ts';
import type { OrderRequest } from '../model/orders.ts';

/** What a check may look at: the rounded request and the bot's own ledger, never another bot's. */
export interface RiskContext {
  readonly request: OrderRequest;
  readonly market: MarketInfo;
  /** Price the order is valued at: its limit, or the current price for market orders. */
  readonly price: Dec;
  /** The bot's free quote (spot) or free wallet (futures) and free base. */
  readonly freeQuote: Dec;
  readonly freeBase: Dec;
  readonly futures: boolean;
  readonly leverage: Dec;
  /** Signed position (futures), `0` when flat or spot. */
  readonly positionQty: Dec;
  /** Whether the order grows the position (futures) or spends quote/base (spot). */
  readonly increases: boolean;
  readonly openOrders: number;
  /** Fee rate the order may pay (taker for market orders), to budget fees paid in quote. */
  readonly feeRate: Dec;
}

/** The gate's answer. */
export type RiskDecision = { readonly allow: true } | { readonly allow: false; readonly check: string; readonly reason: string };

/** One pre-trade check: a stable name and a function returning the denial reason, if any. */
export interface RiskCheck {
  readonly name: string;
  evaluate(ctx: RiskContext): string | undefined;
}

/** Runs checks in order; the first denial wins. */
export class RiskGate {
  readonly checks: readonly RiskCheck[];
  constructor(checks: readonly RiskCheck[]) {
    this.checks = checks;
  }

  evaluate(ctx: RiskContext): RiskDecision {
    for (const check of this.checks) {
      const reason = check.evaluate(ctx);
      if (reason !== undefined) return { allow: false, check: check.name, reason };
    }
    return { allow: true };
  }

  /** A gate with `extra` checks after these. */
  with(...extra: readonly RiskCheck[]): RiskGate {
    return new RiskGate([...this.checks, ...extra]);
  }
}

const isMultiple = (value: Dec, step: Dec): boolean => dec(value).modulo(step).isZero();

/** Price on the tick, amount on the lot, amount positive (P5 precision). */
export const precisionCheck: RiskCheck = {
  name: 'precision',
  evaluate({ request, market }) {
    if (!dec(request.amount).greaterThan(0)) return `amount ${request.amount} is not positive after rounding to lot ${market.precision.amount}`;
    if (!isMultiple(request.amount, market.precision.amount)) return `amount ${request.amount} is not a multiple of lot ${market.precision.amount}`;
    if (request.price !== undefined && !isMultiple(request.price, market.precision.price)) {
      return `price ${request.price} is not a multiple of tick ${market.precision.price}`;
    }
    return undefined;
  },
};

/** Exchange minimum amount and minimum notional, never auto-bumped (P4/P5). */
export const minimumsCheck: RiskCheck = {
  name: 'min-notional',
  evaluate({ request, market, price }) {
    const { amount, cost } = market.limits;
    if (amount.min !== undefined && dec(request.amount).lessThan(amount.min)) return `amount ${request.amount} is below the minimum ${amount.min}`;
    if (amount.max !== undefined && dec(request.amount).greaterThan(amount.max)) return `amount ${request.amount} is above the maximum ${amount.max}`;
    const notional = dec(request.amount).times(price);
    if (request.reduceOnly !== true && cost.min !== undefined && notional.lessThan(cost.min)) {
      return `notional ${str(notional)} is below the minimum ${cost.min}`;
    }
    return undefined;
  },
};

/** The bot's own free balance covers the order (P11), and reduce-only orders only reduce (P12). */
export const budgetCheck: RiskCheck = {
  name: 'budget',
  evaluate(ctx) {
    const { request, price } = ctx;
    const notional = dec(request.amount).times(price);
    if (ctx.futures) {
      const position = dec(ctx.positionQty);
      if (request.reduceOnly === true) {
        const reduces = request.side === 'buy' ? position.isNegative() : position.greaterThan(0);
        if (!reduces || dec(request.amount).greaterThan(position.abs())) {
          return `reduce-only ${request.side} ${request.amount} would not reduce position ${ctx.positionQty}`;
        }
        return undefined;
      }
      if (!ctx.increases) return undefined;
      const needed = notional.dividedBy(ctx.leverage).plus(notional.times(ctx.feeRate));
      return needed.greaterThan(ctx.freeQuote) ? `needs margin ${str(needed)}, bot has ${ctx.freeQuote} free` : undefined;
    }
    if (request.side === 'buy') {
      return notional.greaterThan(ctx.freeQuote) ? `needs ${str(notional)} ${ctx.market.quote}, bot has ${ctx.freeQuote} free` : undefined;
    }
    return dec(request.amount).greaterThan(ctx.freeBase) ? `needs ${request.amount} ${ctx.market.base}, bot has ${ctx.freeBase} free` : undefined;
  },
};

/** A cap on the bot's open orders (P8). */
export function openOrdersCheck(maxOpenOrders: number): RiskCheck {
  return {
    name: 'open-orders',
    evaluate: ({ openOrders }) => (openOrders >= maxOpenOrders ? `${openOrders} open orders reach the cap of ${maxOpenOrders}` : undefined),
  };
}

/** The basic gate: precision, minimums, budget, open-order cap (default 200, Binance's per-symbol cap). */
export function basicRiskGate(options: { readonly maxOpenOrders?: number } = {}): RiskGate {
  return new RiskGate([precisionCheck, minimumsCheck, budgetCheck, openOrdersCheck(options.maxOpenOrders ?? 200)]);
}

/** Zero as a decimal, for contexts without a position. */
export const ZERO: Dec = str(new D(0));
