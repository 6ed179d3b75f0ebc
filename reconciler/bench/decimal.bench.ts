/** Exact decimal arithmetic versus float arithmetic: the cost of exactness the engine pays per operation. */
import { add, cmp, mul, toStep } from '@tradingtower/engine';
import { bestOf, rate, type Benchmark } from './harness.ts';

export const decimalArithmetic: Benchmark = {
  name: 'decimal-arithmetic',
  async run() {
    const n = 200_000;
    const prices = Array.from({ length: n }, (_, i) => `${(30000 + (i % 997) * 0.37).toFixed(2)}`);
    // Quantities as the engine makes them: a quote budget divided by a price, a long quotient.
    const quantities = prices.map((p) => `0.${(1e6 / Number(p)).toFixed(0)}${'3'.repeat(30)}`);
    const floats = prices.map(Number);
    let sink = 0;
    const floorMs = await bestOf(5, () => {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += floats[i]! * 0.001;
      sink += acc;
    });
    const compareFloorMs = await bestOf(5, () => {
      let below = 0;
      for (let i = 1; i < n; i++) if (floats[i]! < floats[i - 1]!) below++;
      sink += below;
    });
    const addMulMs = await bestOf(3, () => {
      let acc = '0';
      for (let i = 0; i < n; i++) acc = add(acc, mul(prices[i]!, '0.001'));
      sink += acc.length;
    });
    const cmpMs = await bestOf(3, () => {
      let below = 0;
      for (let i = 1; i < n; i++) if (cmp(prices[i]!, prices[i - 1]!) < 0) below++;
      sink += below;
    });
    const toStepMs = await bestOf(3, () => {
      for (let i = 0; i < n; i++) sink += toStep(quantities[i]!, '0.00001', 'floor').length;
    });
    if (sink === 0) throw new Error('benchmark result unused');
    const informational = { notes: 'informational' };
    return [
      { ...rate('decimal add+mul (exact) vs float', n, addMulMs, floorMs, 'ops/s'), ...informational },
      { ...rate('decimal cmp (exact) vs float <', n, cmpMs, compareFloorMs, 'ops/s'), ...informational },
      {
        ...rate('decimal toStep of a long quantity vs float', n, toStepMs, floorMs, 'ops/s'),
        ...informational,
      },
    ];
  },
};
