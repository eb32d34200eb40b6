// setupFilesAfterEnv of the force-app Jest project (jest.config.js).
// The LWC preset's setup (synthetic shadow, ARIA reflection, wire adapter hooks) needs a DOM, so it runs
// only in the jsdom environment of the component tests, not in the node environment of the metadata
// tests (force-app/test/metadata, `@jest-environment node`).
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

if (typeof Element !== 'undefined') {
  jestConfig.setupFilesAfterEnv.forEach((setupFile) => require(setupFile));
}
