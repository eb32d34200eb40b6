#!/usr/bin/env node
// `npm test`: every Jest test of the three projects (the service, force-app and the dashboard's
// components), then a plain "N passed, N failed" line. The service tests run on PGlite, and on
// PostgreSQL too when TEST_DATABASE_URL is set (.ci/run sets it).
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = mkdtempSync(path.join(tmpdir(), 'signalfit-test-'));
const resultsFile = path.join(out, 'jest.json');

if (!process.env.TEST_DATABASE_URL) {
  console.log(
    'TEST_DATABASE_URL is not set: the store tests run on PGlite only (set it to run them on PostgreSQL too).',
  );
}
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium) && process.env.SIGNALFIT_E2E !== 'required') {
  console.log(
    `Chromium is not installed (${chromium}): the browser tests are skipped (apt-get install -y chromium, then npm run test:e2e).`,
  );
}
const jest = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--no-warnings=ExperimentalWarning',
    path.join(root, 'node_modules/jest/bin/jest.js'),
    '--json',
    `--outputFile=${resultsFile}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);

let summary = null;
try {
  summary = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch {
  // Jest died before writing results; its exit code tells.
}
rmSync(out, { recursive: true, force: true });
if (summary) {
  const skipped = summary.numPendingTests + summary.numTodoTests;
  console.log(
    `${summary.numPassedTests} passed, ${summary.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
  );
}
process.exit(jest.status ?? 1);
