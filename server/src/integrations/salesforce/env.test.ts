import { parseSalesforceEnv } from './env';

const CWD = '/srv/signalfit';

describe('parseSalesforceEnv', () => {
  test('without a client id there is no connection; the budget and schedule have defaults', () => {
    expect(parseSalesforceEnv({}, CWD)).toEqual({
      config: { connection: null, budgetPercent: 20, fieldMappingFile: null, schedule: '0 2 * * *' },
    });
  });

  test('reads a full connection, a key file relative to the working directory, the budget and the schedule', () => {
    expect(
      parseSalesforceEnv(
        {
          SALESFORCE_LOGIN_URL: 'https://test.salesforce.com/',
          SALESFORCE_CLIENT_ID: '3MVG9abc',
          SALESFORCE_USERNAME: 'integration@acme.com',
          SALESFORCE_PRIVATE_KEY_FILE: 'keys/server.key',
          SALESFORCE_API_BUDGET_PERCENT: '5',
          SALESFORCE_FIELD_MAPPING_FILE: 'mapping.json',
          SIGNALFIT_SCHEDULE: '30 3 * * 1-5',
        },
        CWD,
      ),
    ).toEqual({
      config: {
        connection: {
          loginUrl: 'https://test.salesforce.com',
          clientId: '3MVG9abc',
          username: 'integration@acme.com',
          privateKey: { file: '/srv/signalfit/keys/server.key' },
        },
        budgetPercent: 5,
        fieldMappingFile: '/srv/signalfit/mapping.json',
        schedule: '30 3 * * 1-5',
      },
    });
  });

  test('names every problem at once', () => {
    const result = parseSalesforceEnv(
      { SALESFORCE_CLIENT_ID: 'x', SALESFORCE_PRIVATE_KEY: 'a', SALESFORCE_PRIVATE_KEY_FILE: 'b' },
      CWD,
    );
    expect(result).toEqual({
      problems: [
        'SALESFORCE_USERNAME: is required with SALESFORCE_CLIENT_ID',
        'SALESFORCE_PRIVATE_KEY: set it or SALESFORCE_PRIVATE_KEY_FILE (one of the two)',
      ],
    });
    const bad = parseSalesforceEnv(
      { SALESFORCE_API_BUDGET_PERCENT: '0', SIGNALFIT_SCHEDULE: '0 25 * * *' },
      CWD,
    );
    expect('problems' in bad && bad.problems).toEqual([
      'SALESFORCE_API_BUDGET_PERCENT: Too small: expected number to be >=1',
      expect.stringMatching(/^SIGNALFIT_SCHEDULE: cron hour "25"/),
    ]);
  });
});
