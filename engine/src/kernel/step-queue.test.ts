import { describe, expect, it } from '@jest/globals';
import { StepQueue } from './step-queue.ts';
import type { StrategyEvent } from './strategy.ts';

const price = (ts: number): StrategyEvent => ({ type: 'price', ts, price: String(ts) });

describe('step queue', () => {
  it('steps an event raised during a step only after the current step finishes, in arrival order', () => {
    const log: string[] = [];
    const queue: StepQueue = new StepQueue(
      (event) => {
        log.push(`begin ${event.ts}`);
        if (event.ts === 1) {
          queue.push(price(2));
          queue.push(price(3));
        }
        log.push(`end ${event.ts}`);
      },
      () => log.push('runaway'),
    );

    queue.push(price(1));

    expect(log).toEqual(['begin 1', 'end 1', 'begin 2', 'end 2', 'begin 3', 'end 3']);
  });

  it('stops a strategy that answers its own events without end after maxSteps and drops the rest', () => {
    const stepped: number[] = [];
    const runaways: [number, number][] = [];
    const queue: StepQueue = new StepQueue(
      (event) => {
        stepped.push(event.ts);
        queue.push(price(event.ts + 1));
      },
      (event, steps) => runaways.push([event.ts, steps]),
      5,
    );

    queue.push(price(0));
    queue.push(price(100));

    expect(stepped).toEqual([0, 1, 2, 3, 4, 100, 101, 102, 103, 104]);
    expect(runaways).toEqual([
      [5, 5],
      [105, 5],
    ]);
  });

  it('steps events left behind by a step that threw before a newly pushed one', () => {
    const stepped: number[] = [];
    const queue: StepQueue = new StepQueue(
      (event) => {
        stepped.push(event.ts);
        if (event.ts === 1) {
          queue.push(price(2));
          throw new Error('kernel bug');
        }
      },
      () => undefined,
    );

    expect(() => queue.push(price(1))).toThrow('kernel bug');
    queue.push(price(3));

    expect(stepped).toEqual([1, 2, 3]);
  });
});
