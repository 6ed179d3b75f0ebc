/** The risk gate: pure pre-trade checks between strategy intents and the exchange. */
export * from './gate.ts';
