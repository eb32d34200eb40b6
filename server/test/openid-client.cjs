// Jest's CommonJS runtime cannot require openid-client (ES modules only); Node 20 can. This hands
// the tests Node's own copy (jest.config.js maps `openid-client` here).
'use strict';
module.exports = process.getBuiltinModule('node:module').createRequire(__filename)('openid-client');
