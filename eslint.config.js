// Lint rules for the whole repository: typescript-eslint's recommended set plus the few rules we rely on.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', '**/dist/', 'artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The portal UI runs in the browser.
    files: ['portal/web/src/**/*.{ts,tsx}'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        sessionStorage: 'readonly',
        location: 'readonly',
      },
    },
  },
  {
    // Command-line entry points, examples and tests may print to the terminal.
    files: ['bin/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts', '**/*.test.ts', '**/testing/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Test code reads loosely typed JSON responses; `any` there keeps assertions readable.
    files: ['**/*.test.ts', '**/testing/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
