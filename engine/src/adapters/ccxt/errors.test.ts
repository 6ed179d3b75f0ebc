import { describe, expect, it } from '@jest/globals';
import {
  AuthenticationError,
  BadRequest,
  DDoSProtection,
  ExchangeError,
  ExchangeNotAvailable,
  InsufficientFunds,
  InvalidOrder,
  NetworkError,
  OnMaintenance,
  OperationRejected,
  OrderImmediatelyFillable,
  OrderNotFound,
  RateLimitExceeded,
  RequestTimeout,
} from 'ccxt';
import { ExchangeRejectedError, ExchangeTransientError, ExchangeUnknownError } from '../../ports/exchange.ts';
import { classifyCcxtError, retryAfterMs } from './errors.ts';

describe('classifying ccxt errors by what the caller does next', () => {
  it.each([
    [new InsufficientFunds('binance Account has insufficient balance'), 'insufficient-balance'],
    [new InvalidOrder('binance Filter failure: LOT_SIZE'), 'invalid-order'],
    [new BadRequest('binance Illegal characters found in a parameter.'), 'bad-request'],
    [new OrderNotFound('binance Unknown order sent.'), 'order-not-found'],
    [new InvalidOrder('binance {"code":-2010,"msg":"Duplicate order sent."}'), 'duplicate-client-order-id'],
    [new AuthenticationError('binance API-key format invalid.'), 'authentication'],
    [new OperationRejected('binance Reach the max open orders allowed.'), 'operation-rejected'],
    [new OrderImmediatelyFillable('binance Order would immediately match and take.'), 'post-only-would-take'],
  ])('rejects definitely on %p with code %p', (error, code) => {
    const classified = classifyCcxtError(error, 'create', 'binance createOrder x');

    expect(classified).toBeInstanceOf(ExchangeRejectedError);
    expect((classified as ExchangeRejectedError).code).toBe(code);
  });

  it.each([
    new RateLimitExceeded('429'),
    new DDoSProtection('418'),
    new ExchangeNotAvailable('503'),
    new OnMaintenance('m'),
  ])('calls %p transient even for a create, carrying Retry-After', (error) => {
    const classified = classifyCcxtError(error, 'create', 'binance createOrder x', 2500);

    expect(classified).toBeInstanceOf(ExchangeTransientError);
    expect((classified as ExchangeTransientError).retryAfterMs).toBe(2500);
  });

  it('calls a timed-out or dropped create or cancel Unknown, and the same failure on a read transient', () => {
    const outcomes = [
      classifyCcxtError(new RequestTimeout('t'), 'create', 'w'),
      classifyCcxtError(new NetworkError('reset'), 'cancel', 'w'),
      classifyCcxtError(new RequestTimeout('t'), 'read', 'w'),
    ];

    expect(outcomes.map((e) => e.constructor)).toEqual([
      ExchangeUnknownError,
      ExchangeUnknownError,
      ExchangeTransientError,
    ]);
  });

  it('never assumes an unclassified venue error on a create did not happen', () => {
    expect(
      classifyCcxtError(new ExchangeError('binance {"code":-1000,"msg":"unknown"}'), 'create', 'w'),
    ).toBeInstanceOf(ExchangeUnknownError);
  });

  it('says where the error happened and which ccxt class it was', () => {
    const classified = classifyCcxtError(
      new InsufficientFunds('no money'),
      'create',
      'binance createOrder tt01',
    );

    expect(classified.message).toBe('binance createOrder tt01: InsufficientFunds: no money');
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, and ignores what it cannot read', () => {
    const now = Date.UTC(2024, 0, 1, 0, 0, 0);

    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Mon, 01 Jan 2024 00:00:30 GMT', now)).toBe(30_000);
    expect([retryAfterMs(undefined, now), retryAfterMs('soon', now)]).toEqual([undefined, undefined]);
  });
});
