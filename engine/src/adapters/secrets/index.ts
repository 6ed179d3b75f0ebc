/** Secret references resolved at the edge (env, Azure Key Vault). */
export * from './resolver.ts';
