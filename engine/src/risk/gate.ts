/**
 * The basic risk gate between intents and the exchange (DESIGN §6, strategies/dca-twap-risk.md §6.2):
 * a list of pure checks, each returning a denial reason or nothing. A denial is a decision, not an
 * exception; the kernel turns it into a RiskDenied event. Extend the gate by adding checks.
 */
import { abs, add, dec, div, gt, isNeg, lt, mul, str, type Dec } from '../core/decimal.ts';
import type { OrderRole } from '../core/ids.ts';
import type { MarketInfo } from '../model/market.ts';
import type { OrderRequest } from '../model/orders.ts';
import { canonicalFractionDigits, isPositiveCanonical, powerOfTenPlaces } from '../kernel/step-text.ts';

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
  /** The order's role in its bot (exits: take-profit, stop, close, kill, exit). */
  readonly role: OrderRole;
  /** `request.amount × price` when the caller has it already (checks compute it otherwise). */
  readonly notional?: Dec;
  /**
   * Whether `amount` is more than `freeQuote` (`quote`) or `freeBase` (`base`), when the caller can tell
   * without writing the free balance out (it changes with every fill; the text is needed only to deny).
   */
  exceedsFree?(asset: 'quote' | 'base', amount: Dec): boolean;
}

/** The order's notional in quote at the price it is valued at, computed once by the caller when it can. */
const notionalOf = (ctx: RiskContext): Dec => ctx.notional ?? mul(ctx.request.amount, ctx.price);

/** Whether `amount` is more than the free quote or base (exact either way). */
const exceedsFree = (ctx: RiskContext, asset: 'quote' | 'base', amount: Dec): boolean =>
  ctx.exceedsFree?.(asset, amount) ?? gt(amount, asset === 'quote' ? ctx.freeQuote : ctx.freeBase);

/** The one "allow" answer: an object per order would only be garbage. */
const ALLOW: RiskDecision = Object.freeze({ allow: true });

/** Roles whose orders leave a position: exits are always allowed past entry limits (dca-twap-risk §5). */
export const EXIT_ROLES: ReadonlySet<OrderRole> = new Set(['takeProfit', 'stop', 'close', 'kill', 'exit']);

const isExit = (ctx: RiskContext): boolean => ctx.request.reduceOnly === true || EXIT_ROLES.has(ctx.role);

/** The gate's answer. */
export type RiskDecision =
  { readonly allow: true } | { readonly allow: false; readonly check: string; readonly reason: string };

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
    return ALLOW;
  }

  /** A gate with `extra` checks after these. */
  with(...extra: readonly RiskCheck[]): RiskGate {
    return new RiskGate([...this.checks, ...extra]);
  }
}

/** Character codes read by the text checks below. */
const PLUS = 43;
const MINUS = 45;
const POINT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * Fraction digits of plain decimal text (optional sign, digits, optional `.digits`; no exponent) with
 * trailing zeros left out, or -1 when the text is not plain. One pass over the text, no regular expression.
 */
function significantFractionDigits(value: Dec): number {
  const first = value.charCodeAt(0);
  const start = first === PLUS || first === MINUS ? 1 : 0;
  let i = start;
  while (i < value.length && value.charCodeAt(i) >= ZERO && value.charCodeAt(i) <= NINE) i++;
  if (i === start) return -1;
  if (i === value.length) return 0;
  if (value.charCodeAt(i) !== POINT || i === value.length - 1) return -1;
  const point = i;
  let lastNonZero = point;
  for (i = point + 1; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < ZERO || c > NINE) return -1;
    if (c !== ZERO) lastNonZero = i;
  }
  return lastNonZero - point;
}

/**
 * True when `value` is a whole multiple of `step`. On a power-of-ten step that is read off the text
 * (no more fraction digits than the step, trailing zeros aside); other steps take the decimal modulo.
 */
function isMultiple(value: Dec, step: Dec): boolean {
  const places = powerOfTenPlaces(step);
  const digits = places < 0 ? -1 : significantFractionDigits(value);
  if (digits >= 0) return digits <= places;
  return dec(value).modulo(step).isZero();
}

/** Price on the tick, amount on the lot, amount positive (P5 precision). */
export const precisionCheck: RiskCheck = {
  name: 'precision',
  evaluate({ request, market }) {
    const { amount } = request;
    const lot = market.precision.amount;
    // The usual amount is canonical text (the order flow rounds it with toStep): its sign and fraction
    // digits are read off the text in one pass.
    const digits = canonicalFractionDigits(amount);
    if (digits >= 0 ? !isPositiveCanonical(amount) : !gt(amount, '0'))
      return `amount ${amount} is not positive after rounding to lot ${lot}`;
    const lotPlaces = powerOfTenPlaces(lot);
    if (!(digits >= 0 && lotPlaces >= 0 ? digits <= lotPlaces : isMultiple(amount, lot)))
      return `amount ${amount} is not a multiple of lot ${lot}`;
    if (request.price !== undefined && !isMultiple(request.price, market.precision.price)) {
      return `price ${request.price} is not a multiple of tick ${market.precision.price}`;
    }
    return undefined;
  },
};

/** Exchange minimum amount and minimum notional, never auto-bumped (P4/P5). */
export const minimumsCheck: RiskCheck = {
  name: 'min-notional',
  evaluate(ctx) {
    const { request, market } = ctx;
    const { amount, cost } = market.limits;
    if (amount.min !== undefined && lt(request.amount, amount.min))
      return `amount ${request.amount} is below the minimum ${amount.min}`;
    if (amount.max !== undefined && gt(request.amount, amount.max))
      return `amount ${request.amount} is above the maximum ${amount.max}`;
    const notional = notionalOf(ctx);
    if (request.reduceOnly !== true && cost.min !== undefined && lt(notional, cost.min)) {
      return `notional ${notional} is below the minimum ${cost.min}`;
    }
    return undefined;
  },
};

/** The bot's own free balance covers the order (P11), and reduce-only orders only reduce (P12). */
export const budgetCheck: RiskCheck = {
  name: 'budget',
  evaluate(ctx) {
    const { request } = ctx;
    const notional = notionalOf(ctx);
    if (ctx.futures) {
      const position = ctx.positionQty;
      if (request.reduceOnly === true) {
        const reduces = request.side === 'buy' ? isNeg(position) : gt(position, '0');
        if (!reduces || gt(request.amount, abs(position))) {
          return `reduce-only ${request.side} ${request.amount} would not reduce position ${ctx.positionQty}`;
        }
        return undefined;
      }
      if (!ctx.increases) return undefined;
      const needed = add(div(notional, ctx.leverage), mul(notional, ctx.feeRate));
      return gt(needed, ctx.freeQuote) ? `needs margin ${needed}, bot has ${ctx.freeQuote} free` : undefined;
    }
    if (request.side === 'buy') {
      return exceedsFree(ctx, 'quote', notional)
        ? `needs ${notional} ${ctx.market.quote}, bot has ${ctx.freeQuote} free`
        : undefined;
    }
    return exceedsFree(ctx, 'base', request.amount)
      ? `needs ${request.amount} ${ctx.market.base}, bot has ${ctx.freeBase} free`
      : undefined;
  },
};

/** A cap on the bot's open orders (P8); an exit may still go out so a position can always be closed. */
export function openOrdersCheck(maxOpenOrders: number): RiskCheck {
  return {
    name: 'open-orders',
    evaluate: (ctx) =>
      ctx.openOrders >= maxOpenOrders && !isExit(ctx)
        ? `${ctx.openOrders} open orders reach the cap of ${maxOpenOrders}`
        : undefined,
  };
}

/** A cap on one entry order's notional in quote (P3): exactly at the cap is allowed; exits pass. */
export function orderNotionalCheck(maxOrderNotional: Dec): RiskCheck {
  return {
    name: 'order-notional',
    evaluate: (ctx) => {
      if (isExit(ctx)) return undefined;
      const notional = notionalOf(ctx);
      return gt(notional, maxOrderNotional)
        ? `notional ${notional} is above the per-order cap ${maxOrderNotional}`
        : undefined;
    },
  };
}

/** Limits of the basic gate (a Bot manifest's `spec.risk` fields of the same names). */
export interface BasicRiskLimits {
  readonly maxOpenOrders?: number;
  readonly maxOrderNotional?: Dec;
}

/** The basic gate: precision, minimums, budget, open-order cap (default 200, Binance's per-symbol cap), order notional cap. */
export function basicRiskGate(limits: BasicRiskLimits = {}): RiskGate {
  const checks = [precisionCheck, minimumsCheck, budgetCheck, openOrdersCheck(limits.maxOpenOrders ?? 200)];
  if (limits.maxOrderNotional !== undefined) checks.push(orderNotionalCheck(limits.maxOrderNotional));
  return new RiskGate(checks);
}

/** The basic limits from a Bot manifest's `spec.risk` (unknown fields are for the full risk engine). */
export function riskLimitsOf(risk: unknown): BasicRiskLimits {
  const r = (typeof risk === 'object' && risk !== null ? risk : {}) as Record<string, unknown>;
  const open = r['maxOpenOrders'];
  const notional = r['maxOrderNotional'];
  return {
    ...(typeof open === 'number' && Number.isInteger(open) && open > 0 ? { maxOpenOrders: open } : {}),
    ...(typeof notional === 'number' || (typeof notional === 'string' && notional !== '')
      ? { maxOrderNotional: str(String(notional)) }
      : {}),
  };
}
