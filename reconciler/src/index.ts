/** The reconciler's public surface: manifest loading, planning, reconciling, sources and the server. */
export {};
