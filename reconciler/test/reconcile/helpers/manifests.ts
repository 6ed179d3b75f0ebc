/** Manifest builders for reconcile tests: a paper account, DCA and grid bots with overridable fields. */

/** A paper Account manifest. */
export function aPaperAccount(name = 'paper-main', usdt = '10000'): string {
  return `apiVersion: tradingtower.dev/v1
kind: Account
metadata:
  name: ${name}
spec:
  exchange: paper
  mode: paper
  paper:
    balances:
      USDT: ${usdt}
    makerFeePct: 0.1
    takerFeePct: 0.1
`;
}

/** Options of a DCA bot manifest. */
export interface DcaOptions {
  readonly name?: string;
  readonly state?: 'running' | 'paused' | 'stopped';
  readonly takeProfitPct?: string;
  readonly maxQuote?: string;
  readonly closeAction?: 'keep' | 'cancelOrders' | 'closePosition';
}

/** A DCA Bot manifest. */
export function aDcaBot(options: DcaOptions = {}): string {
  return `apiVersion: tradingtower.dev/v1
kind: Bot
metadata:
  name: ${options.name ?? 'dca-btc'}
spec:
  strategy: dca
  account: paper-main
  market: BTC/USDT
  state: ${options.state ?? 'running'}
  update:
    closeAction: ${options.closeAction ?? 'cancelOrders'}
  params:
    baseOrder:
      size: 100
    safetyOrders:
      size: 100
      maxCount: 3
    takeProfit:
      pct: ${options.takeProfitPct ?? '1.5'}
    budget:
      maxQuote: ${options.maxQuote ?? '1000'}
`;
}

/** A grid Bot manifest. */
export function aGridBot(
  options: { name?: string; lowPrice?: string; onRecreate?: 'refuse' | 'allow' } = {},
): string {
  return `apiVersion: tradingtower.dev/v1
kind: Bot
metadata:
  name: ${options.name ?? 'grid-btc'}
spec:
  strategy: grid
  account: paper-main
  market: BTC/USDT
  update:
    onRecreate: ${options.onRecreate ?? 'refuse'}
  params:
    lowPrice: ${options.lowPrice ?? '50000'}
    highPrice: 70000
    gridCount: 10
    investment: 1000
`;
}
