#!/usr/bin/env node
// The `signalfit` command. The service is written in TypeScript and run through tsx,
// so the command always runs the sources it ships with (no build step to forget).
'use strict';
require('tsx/cjs');
require('../server/src/cli/main.ts').run(process.argv);
