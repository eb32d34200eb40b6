// Flat config: TypeScript rules for the service, the Salesforce LWC rules for force-app.
const globals = require('globals');
const tseslint = require('typescript-eslint');
const lwcConfig = require('@salesforce/eslint-config-lwc');
const jestPlugin = require('eslint-plugin-jest');

module.exports = [
  {
    ignores: [
      'node_modules/**',
      '.signalfit/**',
      'build/**',
      'coverage/**',
      '.sfdx/**',
      '.sf/**',
      'scripts/bench/out/**',
      'test-results/**',
    ],
  },
  ...tseslint.configs.recommended.map((config) => ({
    ...config,
    files: ['server/**/*.ts', 'scripts/**/*.ts'],
  })),
  {
    files: ['server/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['*.js', 'bin/**/*.js', 'scripts/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: ['force-app/**/lwc/**/*.js'] })),
  // The dashboard (LWC OSS, served at /embed) follows the same LWC rules.
  ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: ['server/ui/src/**/*.js'] })),
  {
    files: [
      'force-app/**/lwc/**/__tests__/**/*.js',
      'force-app/test/**/*.js',
      'server/ui/src/**/__tests__/**/*.js',
      'server/ui/test/**/*.js',
    ],
    languageOptions: { globals: { ...globals.jest, ...globals.node } },
    plugins: { jest: jestPlugin },
    rules: { '@lwc/lwc/no-async-operation': 'off' },
  },
];
