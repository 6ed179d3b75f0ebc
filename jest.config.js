// Jest runs TypeScript through @swc/jest in ESM mode (see ../shared/FACTS.md); tsc type-checks separately.
/** @type {import('jest').Config} */
export default {
  roots: ['<rootDir>/schemas', '<rootDir>/engine', '<rootDir>/reconciler'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/.tsbuild/'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  testEnvironment: 'node',
  reporters: ['default', '<rootDir>/.ci/jest-summary-reporter.cjs'],
  testTimeout: 30000,
};
