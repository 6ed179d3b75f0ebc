/**
 * The read-only contexts the kernel hands out per step and per order. Their ledger parts are read from
 * the ledger only when asked for: a grid's fill step never reads its balances and the risk gate reads the
 * one free balance the order spends, and each costs decimal arithmetic after every ledger change. Both
 * are read synchronously inside the call they are made for, while the ledger cannot change.
 */
import type { Dec } from '../core/decimal.ts';
import type { EpochMs } from '../core/clock.ts';
import type { OrderRole } from '../core/ids.ts';
import type { MarketInfo } from '../model/market.ts';
import type { OrderRequest } from '../model/orders.ts';
import type { RiskContext } from '../risk/gate.ts';
import type { BotLedger } from './ledger.ts';
import type { LedgerView, StrategyContext } from './strategy.ts';

/** A strategy step's context; `ledger` is the ledger's view at the step's price, made on first read. */
export class StepContext implements StrategyContext {
  readonly now: EpochMs;
  readonly market: MarketInfo;
  readonly botKey: string;
  readonly runNumber: number;
  private readonly source: BotLedger;
  private readonly mark: Dec | undefined;
  private view: LedgerView | undefined;

  constructor(
    now: EpochMs,
    market: MarketInfo,
    source: BotLedger,
    mark: Dec | undefined,
    bot: { readonly botKey: string; readonly runNumber: number },
  ) {
    this.now = now;
    this.market = market;
    this.source = source;
    this.mark = mark;
    this.botKey = bot.botKey;
    this.runNumber = bot.runNumber;
  }

  get ledger(): LedgerView {
    this.view ??= this.source.view(this.mark);
    return this.view;
  }
}

/** What the order flow knows of an order when it asks the gate (the rest comes from the ledger). */
export interface OrderFacts {
  readonly request: OrderRequest;
  readonly market: MarketInfo;
  readonly price: Dec;
  readonly increases: boolean;
  readonly openOrders: number;
  readonly feeRate: Dec;
  readonly role: OrderRole;
  readonly notional: Dec;
}

/** The risk gate's context of one order; the free balances are read from the ledger when a check asks. */
export class OrderRiskContext implements RiskContext {
  readonly request: OrderRequest;
  readonly market: MarketInfo;
  readonly price: Dec;
  readonly futures: boolean;
  readonly leverage: Dec;
  readonly positionQty: Dec;
  readonly increases: boolean;
  readonly openOrders: number;
  readonly feeRate: Dec;
  readonly role: OrderRole;
  readonly notional: Dec;
  private readonly ledger: BotLedger;

  constructor(facts: OrderFacts, ledger: BotLedger) {
    this.request = facts.request;
    this.market = facts.market;
    this.price = facts.price;
    this.futures = ledger.futures;
    this.leverage = ledger.leverage;
    this.positionQty = ledger.position.qty;
    this.increases = facts.increases;
    this.openOrders = facts.openOrders;
    this.feeRate = facts.feeRate;
    this.role = facts.role;
    this.notional = facts.notional;
    this.ledger = ledger;
  }

  get freeQuote(): Dec {
    return this.ledger.freeQuote(this.request.side);
  }

  get freeBase(): Dec {
    return this.ledger.freeBase();
  }

  exceedsFree(asset: 'quote' | 'base', amount: Dec): boolean {
    return this.ledger.exceedsFree(this.request.side, asset, amount);
  }
}
