#!/usr/bin/env node
// `npm run lint:apex`: Salesforce Code Analyzer's PMD engine (the npm package, with the PMD jars it
// ships) over every Apex class in force-app, with the Apex rules Salesforce tags Recommended, Security
// or BestPractices. Any violation, or a file PMD cannot parse, fails the check. PMD runs on Java 11+.
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { createEnginePlugin } = require('@salesforce/code-analyzer-pmd-engine');
const {
  ConfigValueExtractor,
  EventType,
  LogLevel,
  Workspace,
} = require('@salesforce/code-analyzer-engine-api');

const root = path.resolve(__dirname, '..');
const target = path.join(root, 'force-app');
const RULE_TAGS = ['Recommended', 'Security', 'BestPractices'];

/** The rules of the check: the engine's Apex rules that carry one of RULE_TAGS. */
function selectRules(rules) {
  return rules.filter(
    (rule) => rule.tags.includes('Apex') && rule.tags.some((tag) => RULE_TAGS.includes(tag)),
  );
}

async function main() {
  const java = process.env.JAVA_COMMAND || 'java';
  if (spawnSync(java, ['-version'], { stdio: 'ignore' }).status !== 0) {
    console.error(
      `check-apex: "${java}" does not run. PMD needs Java 11 or later: apt-get install -y default-jre-headless (or set JAVA_COMMAND).`,
    );
    return 2;
  }

  const plugin = createEnginePlugin();
  const config = await plugin.createEngineConfig(
    'pmd',
    new ConfigValueExtractor({ java_command: java, rule_languages: ['apex'] }, 'engines.pmd', root),
  );
  const engine = await plugin.createEngine('pmd', config);
  const problems = [];
  engine.onEvent(EventType.LogEvent, (event) => {
    if (event.logLevel === LogLevel.Error) problems.push(event.message);
  });

  const workFolder = mkdtempSync(path.join(tmpdir(), 'signalfit-pmd-'));
  try {
    const workspace = new Workspace('force-app', [target]);
    const options = { workspace, logFolder: workFolder, workingFolder: workFolder };
    const rules = selectRules(await engine.describeRules(options));
    if (rules.length === 0) throw new Error('the PMD engine offered no Apex rule');
    const files = (await workspace.getTargetedFiles()).filter((file) => file.endsWith('.cls'));
    const results = await engine.runRules(
      rules.map((rule) => rule.name),
      options,
    );

    for (const violation of results.violations) {
      const where = violation.codeLocations[violation.primaryLocationIndex];
      const file = path.relative(root, where.file);
      console.log(
        `${file}:${where.startLine}:${where.startColumn}  ${violation.ruleName}  ${violation.message.trim()}`,
      );
    }
    for (const problem of problems) console.log(`PMD error: ${problem}`);
    const failed = results.violations.length > 0 || problems.length > 0;
    console.log(
      `check-apex: ${files.length} Apex classes, ${rules.length} rules (${RULE_TAGS.join(', ')}), ` +
        `${results.violations.length} violations, ${problems.length} PMD errors: ${failed ? 'FAILED' : 'ok'}`,
    );
    return failed ? 1 : 0;
  } finally {
    rmSync(workFolder, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`check-apex: ${error instanceof Error ? error.message : error}`);
    process.exit(2);
  },
);
