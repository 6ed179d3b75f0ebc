/** The paper (and later live) engine the reconciler drives through EngineControl. */
export * from './engine.ts';
export * from './session.ts';
