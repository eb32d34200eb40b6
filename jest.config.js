// Three Jest projects: the service (TypeScript, Node), the Salesforce components (sfdx-lwc-jest) and
// the dashboard's components (server/ui/src/modules/sf, the same LWC test setup).
// PGlite loads its WASM with a dynamic import, so Jest runs under --experimental-vm-modules
// (see scripts/test.js and the test:* scripts).
const { availableParallelism } = require('node:os');
const { jestConfig: lwcJestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  // At least two test files at a time, even on two cores (Jest's default there is one): most
  // service tests wait on a child process (the signalfit bin), PostgreSQL or a stand-in, so one
  // file at a time leaves a core idle. Each file has its own stores (PGlite in memory or folder,
  // its own PostgreSQL schema) and its own loopback ports.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  projects: [
    {
      displayName: 'server',
      rootDir: __dirname,
      roots: ['<rootDir>/server'],
      testEnvironment: 'node',
      testMatch: ['**/*.test.ts'],
      transform: {
        '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
      },
      // jose and openid-client ship ES modules only, which Jest's CommonJS runtime cannot require
      // (Node 20 can). The tests' OpenID provider is loaded by Node itself (server/test/oidcProvider).
      moduleNameMapper: {
        '^jose$': '<rootDir>/server/test/jose.cjs',
        '^openid-client$': '<rootDir>/server/test/openid-client.cjs',
      },
      moduleFileExtensions: ['ts', 'js', 'json'],
    },
    {
      ...lwcJestConfig,
      displayName: 'force-app',
      rootDir: __dirname,
      roots: ['<rootDir>/force-app'],
      moduleNameMapper: {
        '^lightning/navigation$': '<rootDir>/force-app/test/jest-mocks/lightning/navigation',
      },
      // The LWC preset setup needs a DOM: this wrapper skips it for the node-environment metadata tests.
      setupFilesAfterEnv: ['<rootDir>/force-app/test/jest-setup.js'],
    },
    {
      ...lwcJestConfig,
      displayName: 'ui',
      rootDir: __dirname,
      roots: ['<rootDir>/server/ui/src'],
      testMatch: ['**/__tests__/**/*.test.js'],
      // The dashboard's modules are the `sf` namespace (as in its rollup build): sf/name → sf/name/name.js.
      // Chart.js needs a canvas, which jsdom lacks: the tests read what the components gave it.
      moduleNameMapper: {
        '^sf/(\\w+)$': '<rootDir>/server/ui/src/modules/sf/$1/$1.js',
        '^chart\\.js$': '<rootDir>/server/ui/test/chartJsMock.js',
      },
    },
  ],
};
