// Type-aware lint plus the architecture's import boundaries (STYLE.md: dependencies point inward).
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/** Modules that touch the outside world; pure code may not import them. */
const impure = [
  { group: ['node:*'], message: 'Pure code may not import node: modules; go through a port.' },
  {
    group: ['**/adapters/**', '**/live/**', '**/backtest/**', '**/cli/**', '**/server/**', '**/sources/**'],
    message: 'Pure code may not import adapters or runtime code; depend on a port in engine/src/ports.',
  },
  {
    group: ['ccxt', '@azure/*', '@octokit/*', 'chokidar'],
    message: 'Pure code may not import network or platform clients.',
  },
];
const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'http',
  'https',
  'net',
  'crypto',
  'worker_threads',
  'url',
  'util',
  'process',
].map((name) => ({ name, message: 'Pure code may not import Node built-ins.' }));

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '.tools/**',
      '.tsbuild/**',
      '.tower/**',
      'coverage/**',
      'site/**',
      'schemas/generated/**',
      '*.config.js',
      '**/*.cjs',
      '**/bin/tower.js',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': ['error', { maxDepth: 4, ignoreExternal: true }],
      'no-restricted-globals': 'off',
    },
  },
  {
    files: [
      'engine/src/core/**/*.ts',
      'engine/src/model/**/*.ts',
      'engine/src/strategies/**/*.ts',
      'engine/src/risk/**/*.ts',
      'engine/src/kernel/**/*.ts',
      'reconciler/src/plan/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: impure, paths: nodeBuiltins }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Inject a clock.' },
        { object: 'Math', property: 'random', message: 'Inject an id or random source.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Inject a clock.' },
        { selector: "CallExpression[callee.name='setTimeout']", message: 'Pure code has no timers.' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
