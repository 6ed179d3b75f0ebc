/**
 * Drift between what the bots of one account venue believe and what the venue holds (issue 6, DESIGN
 * §5): orders with our client-id prefix that no bot knows, orders of someone else (reported, never
 * touched), orders a bot believes open that the venue lacks, and venue balances that differ from the
 * account's starting balances plus every bot's ledger change by more than dust. It reads the venue
 * only through the exchange port, so a live adapter gets the same checks as the paper venue.
 */
import { dec, str, type Dec } from '../core/decimal.ts';
import { botShortId, decodeClientOrderId } from '../core/ids.ts';
import type { BotKernel } from '../kernel/bot-kernel.ts';
import type { MarketInfo } from '../model/market.ts';
import type { OrderSnapshot } from '../model/orders.ts';
import type { ExchangePort } from '../ports/exchange.ts';

/** What kind of disagreement a drift entry reports. */
export type DriftKind = 'UnknownOrder' | 'UnmanagedOrder' | 'MissingOrder' | 'BalanceMismatch';

/** One disagreement between a bot and its venue, as status shows it. */
export interface DriftEntry {
  readonly kind: DriftKind;
  readonly message: string;
}

/** One bot on a venue. */
export interface DriftBot {
  readonly botKey: string;
  readonly kernel: BotKernel;
}

/** One account venue (an account on one market) and the bots that trade on it. */
export interface DriftVenue {
  readonly account: string;
  readonly market: MarketInfo;
  readonly exchange: ExchangePort;
  /** The account's starting balances by asset (what the venue held before any bot traded). */
  readonly initialBalances: Readonly<Record<string, Dec>>;
  readonly bots: readonly DriftBot[];
  /** Balance changes of earlier runs that no longer have a kernel here (a recreated bot's old run). */
  readonly retired: Readonly<Record<string, Dec>>;
}

/** Order states in which the bot holds that the venue has the order resting. */
const BELIEVED_OPEN = new Set(['Open', 'PartiallyFilled']);

/** Net balance change per asset that a bot's fills made: its ledger against its starting budget. */
export function ledgerDeltas(kernel: BotKernel): Record<string, Dec> {
  const { market, budget } = kernel.options;
  const ledger = kernel.ledger;
  if (ledger.futures) {
    const wallet = dec(ledger.quote).plus(ledger.margin).minus(budget.quote);
    return { [market.settle ?? market.quote]: str(wallet) };
  }
  return {
    [market.quote]: str(dec(ledger.quote).minus(budget.quote)),
    [market.base]: str(dec(ledger.base).minus(budget.base ?? '0')),
  };
}

/** Adds `deltas` into `into` (per asset). */
export function addDeltas(into: Record<string, Dec>, deltas: Readonly<Record<string, Dec>>): void {
  for (const [asset, delta] of Object.entries(deltas)) into[asset] = str(dec(into[asset] ?? '0').plus(delta));
}

/** Drift entries per bot key for one venue (every bot of the venue gets an entry list, maybe empty). */
export async function venueDrift(venue: DriftVenue, ns: string): Promise<Map<string, DriftEntry[]>> {
  const out = new Map<string, DriftEntry[]>(venue.bots.map((b) => [b.botKey, []]));
  const open = await venue.exchange.fetchOpenOrders(venue.market.symbol);
  orderDrift(venue, ns, open, out);
  const balances = await venue.exchange.fetchBalance();
  const totals: Record<string, Dec> = {};
  for (const [asset, b] of Object.entries(balances)) totals[asset] = str(dec(b.free).plus(b.used));
  for (const entry of balanceDrift(venue, totals)) for (const list of out.values()) list.push(entry);
  return out;
}

function orderDrift(
  venue: DriftVenue,
  ns: string,
  open: readonly OrderSnapshot[],
  out: Map<string, DriftEntry[]>,
): void {
  const where = `${venue.account} ${venue.market.symbol}`;
  const everyone = (entry: DriftEntry): void => {
    for (const list of out.values()) list.push(entry);
  };
  const onVenue = new Set<string>();
  for (const order of open) {
    onVenue.add(order.clientOrderId);
    const what = `${order.side} ${order.amount} @ ${order.price ?? 'market'}`;
    const parts = decodeClientOrderId(order.clientOrderId);
    if (parts === undefined || parts.ns !== ns) {
      everyone({
        kind: 'UnmanagedOrder',
        message: `${where}: order ${order.clientOrderId} (${what}) is not ours; left untouched`,
      });
      continue;
    }
    const owner = venue.bots.find((b) => botShortId(b.botKey) === parts.bot);
    const known = owner?.kernel.book.byClientOrderId(order.clientOrderId);
    if (owner && known && BELIEVED_OPEN.has(known.status)) continue;
    const entry: DriftEntry = {
      kind: 'UnknownOrder',
      message: owner
        ? `${where}: open order ${order.clientOrderId} (${what}) carries this bot's id but the bot does not know it as open`
        : `${where}: open order ${order.clientOrderId} (${what}) carries our prefix but belongs to no bot on this venue`,
    };
    if (owner) out.get(owner.botKey)?.push(entry);
    else everyone(entry);
  }
  for (const bot of venue.bots) {
    for (const record of bot.kernel.book.liveOrders()) {
      if (!BELIEVED_OPEN.has(record.status) || onVenue.has(record.clientOrderId)) continue;
      out.get(bot.botKey)?.push({
        kind: 'MissingOrder',
        message: `${where}: order ${record.clientOrderId} (${record.key}) is ${record.status} for the bot but not open on the venue`,
      });
    }
  }
}

/** Venue totals against starting balances plus every bot's ledger change, beyond dust per asset. */
export function balanceDrift(venue: DriftVenue, totals: Readonly<Record<string, Dec>>): DriftEntry[] {
  const expected: Record<string, Dec> = {};
  addDeltas(expected, venue.initialBalances);
  addDeltas(expected, venue.retired);
  for (const bot of venue.bots) addDeltas(expected, ledgerDeltas(bot.kernel));
  const assets = [...new Set([...Object.keys(expected), ...Object.keys(totals)])].sort();
  const entries: DriftEntry[] = [];
  for (const asset of assets) {
    const held = dec(totals[asset] ?? '0');
    const booked = dec(expected[asset] ?? '0');
    const difference = held.minus(booked);
    if (difference.abs().lessThanOrEqualTo(dustOf(venue.market, asset))) continue;
    entries.push({
      kind: 'BalanceMismatch',
      message: `${venue.account} ${venue.market.symbol}: venue holds ${str(held)} ${asset}, the bots' ledgers account for ${str(booked)} (difference ${str(difference)} ${asset})`,
    });
  }
  return entries;
}

/**
 * The amount below which a balance difference is dust: one lot of base, one tick times one lot of quote
 * (the smallest amount a fill can move), so exact ledgers never report rounding noise.
 */
export function dustOf(market: MarketInfo, asset: string): Dec {
  const { price, amount } = market.precision;
  if (asset === market.base) return amount;
  return str(dec(price).times(amount));
}

/** What the engine holds per bot that drift needs: its spec facts, kernel and market session. */
export interface DriftRuntime {
  readonly spec: {
    readonly botKey: string;
    readonly account: { readonly name: string; readonly balances?: Readonly<Record<string, string>> };
  };
  readonly kernel: BotKernel;
  readonly session: {
    readonly exchange: ExchangePort;
    readonly market: MarketInfo;
    exclusive<T>(task: () => Promise<T> | T): Promise<T>;
  };
}

/**
 * Drift detection for an engine: groups bots by venue, scans each venue while no bar is walked (so a
 * half-settled order is never reported), and remembers the balance changes of runs a new run replaced.
 */
export class DriftWatch {
  private readonly ns: string;
  private readonly retired = new WeakMap<object, Record<string, Dec>>();

  constructor(ns: string) {
    this.ns = ns;
  }

  /** A run leaves its venue for good (replaced by a new run): its fills stay in the venue's balances. */
  retire(exchange: ExchangePort, kernel: BotKernel): void {
    const deltas = this.retired.get(exchange) ?? {};
    addDeltas(deltas, ledgerDeltas(kernel));
    this.retired.set(exchange, deltas);
  }

  /** Drift entries per bot key of every bot given. */
  async scan(bots: readonly DriftRuntime[]): Promise<Map<string, DriftEntry[]>> {
    const byVenue = new Map<DriftRuntime['session'], DriftRuntime[]>();
    for (const bot of bots) byVenue.set(bot.session, [...(byVenue.get(bot.session) ?? []), bot]);
    const out = new Map<string, DriftEntry[]>();
    for (const [session, members] of byVenue) {
      const first = members[0]!;
      const venue: DriftVenue = {
        account: first.spec.account.name,
        market: session.market,
        exchange: session.exchange,
        initialBalances: first.spec.account.balances ?? {},
        bots: members.map((m) => ({ botKey: m.spec.botKey, kernel: m.kernel })),
        retired: this.retired.get(session.exchange) ?? {},
      };
      const found = await session.exclusive(() => venueDrift(venue, this.ns));
      for (const [key, entries] of found) out.set(key, entries);
    }
    return out;
  }
}
