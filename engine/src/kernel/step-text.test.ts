import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { str, toStep, type StepRounding } from '../core/decimal.ts';
import { canonicalFractionDigits, isPositiveCanonical, onStep, powerOfTenPlaces } from './step-text.ts';

const MODES: readonly StepRounding[] = ['floor', 'ceil', 'nearest'];
const STEPS = ['1', '0.1', '0.01', '0.00001', '0.5', '5', '0.25'];

/** Decimal text, canonical or not: sign, integer digits with leading zeros, fraction with trailing zeros. */
const decimalText = fc
  .tuple(
    fc.constantFrom('', '-', '+'),
    fc.stringMatching(/^[0-9]{1,6}$/),
    fc.option(fc.stringMatching(/^[0-9]{0,7}$/), { nil: undefined }),
  )
  .map(([sign, int, frac]) => `${sign}${int}${frac === undefined ? '' : `.${frac}`}`);

describe('onStep', () => {
  it('gives the same text as toStep for any decimal text, step and rounding mode', () => {
    fc.assert(
      fc.property(decimalText, fc.constantFrom(...STEPS), fc.constantFrom(...MODES), (value, step, mode) => {
        expect(onStep(value, step, mode)).toBe(toStep(value, step, mode));
      }),
      { numRuns: 3000 },
    );
  });

  it('returns canonical text already on the step as the very same text', () => {
    expect(onStep('101.25', '0.01', 'floor')).toBe('101.25');
    expect(onStep('0.001', '0.00001', 'ceil')).toBe('0.001');
  });

  it('rounds text off the step or not canonical', () => {
    expect(onStep('101.255', '0.01', 'floor')).toBe('101.25');
    expect(onStep('101.255', '0.01', 'ceil')).toBe('101.26');
    expect(onStep('101.250', '0.01', 'floor')).toBe('101.25');
    expect(onStep('0101.2', '0.1', 'floor')).toBe('101.2');
  });
});

describe('canonicalFractionDigits', () => {
  it('agrees with str: a text has fraction digits exactly when str writes it unchanged', () => {
    fc.assert(
      fc.property(decimalText, (value) => {
        const canonical = str(value) === value;
        expect(canonicalFractionDigits(value) >= 0).toBe(canonical);
      }),
      { numRuns: 3000 },
    );
  });

  it('counts the fraction digits of canonical text', () => {
    expect(canonicalFractionDigits('0')).toBe(0);
    expect(canonicalFractionDigits('-12.345')).toBe(3);
    expect(canonicalFractionDigits('0.5')).toBe(1);
  });

  it('refuses exponents, signs and zeros str would not write', () => {
    for (const text of ['1e5', '+1', '-0', '00.5', '1.50', '1.', '.5', '', '-', '1.2.3'])
      expect(canonicalFractionDigits(text)).toBe(-1);
  });
});

describe('powerOfTenPlaces', () => {
  it('counts the places of 1, 0.1, 0.01, … and refuses other steps', () => {
    expect(powerOfTenPlaces('1')).toBe(0);
    expect(powerOfTenPlaces('0.1')).toBe(1);
    expect(powerOfTenPlaces('0.00001')).toBe(5);
    for (const step of ['0.5', '10', '0.11', '0.', '0.010']) expect(powerOfTenPlaces(step)).toBe(-1);
  });
});

describe('isPositiveCanonical', () => {
  it('tells canonical texts above zero from zero and negatives', () => {
    fc.assert(
      fc.property(decimalText, (value) => {
        const canonical = str(value);
        expect(isPositiveCanonical(canonical)).toBe(Number(canonical) > 0);
      }),
    );
  });
});
