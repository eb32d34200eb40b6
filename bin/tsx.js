#!/usr/bin/env node
// Runs a TypeScript script (benchmarks, tools) with the same loader the CLI uses.
'use strict';
const path = require('node:path');
require('tsx/cjs');
const [script, ...rest] = process.argv.slice(2);
if (!script) {
  console.error('usage: node bin/tsx.js <script.ts> [args…]');
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(script), ...rest];
require(path.resolve(script));
