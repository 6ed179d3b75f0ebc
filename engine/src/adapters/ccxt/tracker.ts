/**
 * What the ccxt adapter knows about orders: the last snapshot of each (to emit only changes), and the
 * id mappings between the engine's client id, the venue's client id and the venue's order id (trades
 * name only the venue's order id).
 */
import type { OrderSnapshot } from '../../model/orders.ts';
import { compactFromVenueId, venueClientOrderId } from './venue-ids.ts';

const LIVE = new Set(['Open', 'PartiallyFilled']);

/** Order snapshots and id mappings of one adapter. */
export class OrderTracker {
  private readonly venue: string;
  private readonly snapshots = new Map<string, OrderSnapshot>();
  private readonly engineByVenue = new Map<string, string>();
  private readonly venueByEngine = new Map<string, string>();
  private readonly engineByExchange = new Map<string, string>();

  constructor(venue: string) {
    this.venue = venue;
  }

  /** Remembers which venue client id an engine id was sent as. */
  remember(engineId: string, venueId: string): void {
    this.engineByVenue.set(venueId, engineId);
    this.venueByEngine.set(engineId, venueId);
  }

  /** The venue client id for an engine id (derived again when not remembered: derivation is pure). */
  venueIdOf(engineId: string): string {
    return this.venueByEngine.get(engineId) ?? venueClientOrderId(this.venue, engineId);
  }

  /** The engine id of a venue client id; an id that is not ours stays as the venue wrote it. */
  engineIdOf(venueId: string): string {
    return this.engineByVenue.get(venueId) ?? compactFromVenueId(this.venue, venueId) ?? venueId;
  }

  /** Links a venue order id to an engine id. */
  link(exchangeOrderId: string, engineId: string): void {
    this.engineByExchange.set(exchangeOrderId, engineId);
  }

  /** The engine id of a venue order id, if seen. */
  byExchangeId(exchangeOrderId: string): string | undefined {
    return this.engineByExchange.get(exchangeOrderId);
  }

  /** Stores a snapshot; true when it differs from the last one in status or filled amount. */
  put(snapshot: OrderSnapshot): boolean {
    const last = this.snapshots.get(snapshot.clientOrderId);
    this.snapshots.set(snapshot.clientOrderId, snapshot);
    return last === undefined || last.status !== snapshot.status || last.filled !== snapshot.filled;
  }

  /** Orders last seen open or partially filled on a symbol. */
  live(symbol: string): OrderSnapshot[] {
    return [...this.snapshots.values()].filter((s) => s.symbol === symbol && LIVE.has(s.status));
  }
}
