/** Exact decimal arithmetic versus float arithmetic: the cost of exactness the engine pays per operation. */
import { add, mul } from '@tradingtower/engine';
import { bestOf, rate, type Benchmark } from './harness.ts';

export const decimalArithmetic: Benchmark = {
  name: 'decimal-arithmetic',
  async run() {
    const n = 200_000;
    const prices = Array.from({ length: n }, (_, i) => `${(30000 + (i % 997) * 0.37).toFixed(2)}`);
    const floats = prices.map(Number);
    let sink = 0;
    const floorMs = await bestOf(5, () => {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += floats[i]! * 0.001;
      sink += acc;
    });
    const ms = await bestOf(3, () => {
      let acc = '0';
      for (let i = 0; i < n; i++) acc = add(acc, mul(prices[i]!, '0.001'));
      sink += acc.length;
    });
    if (sink === 0) throw new Error('benchmark result unused');
    return [{ ...rate('decimal add+mul (exact) vs float', n, ms, floorMs, 'ops/s'), notes: 'informational' }];
  },
};
