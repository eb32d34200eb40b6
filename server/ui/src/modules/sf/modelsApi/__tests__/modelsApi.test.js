import {
  addDays,
  aucText,
  fetchComparisonAccounts,
  fetchModels,
  modelVersionText,
  parseModelVersion,
  qualifiedChangeText,
  rollbackTargets,
  scoredByText,
  versionsText,
} from 'sf/modelsApi';
import { stubFetch } from '../../../../../test/lwcTesting';

const MODELS = require('../../../../../test/data/models.json');

afterEach(() => {
  delete global.fetch;
});

describe('sf/modelsApi', () => {
  it("reads a run's model_version label, and leaves older free-text labels alone", () => {
    expect(parseModelVersion('intent:12 profile_fit:13 contact_fit:14 engagement:15')).toEqual([
      { kind: 'intent', id: 12 },
      { kind: 'profile_fit', id: 13 },
      { kind: 'contact_fit', id: 14 },
      { kind: 'engagement', id: 15 },
    ]);
    expect(parseModelVersion('test-1')).toBeNull();
    expect(parseModelVersion('signalfit-0.9 (trained 2026-10-01)')).toBeNull();
    expect(parseModelVersion(null)).toBeNull();
  });

  it('names the versions in words', () => {
    expect(scoredByText('intent:12 profile_fit:13 contact_fit:14 engagement:15')).toBe(
      'Scored by model versions: intent #12, profile fit #13, contact fit #14, engagement #15',
    );
    expect(scoredByText('test-1')).toBe('Scored by model test-1');
    expect(scoredByText(null)).toBe('');
    expect(modelVersionText('intent:3 profile_fit:4 contact_fit:5 engagement:6')).toBe(
      'model versions: intent #3, profile fit #4, contact fit #5, engagement #6',
    );
  });

  it('says a set of versions as a range when it is one', () => {
    expect(versionsText([24, 21, 22, 23])).toBe('versions 21–24');
    expect(versionsText([21])).toBe('version 21');
    expect(versionsText([21, 23, 25])).toBe('versions 21, 23 and 25');
    expect(versionsText([])).toBe('no versions');
  });

  it('finds what a roll-back brings back: per active kind, the version retired last', () => {
    expect(rollbackTargets(MODELS).map((row) => row.id)).toEqual([11, 12, 13, 14]);
    // Retired twice over: the later retirement is the one active just before.
    const older = MODELS.filter((row) => row.training_id === 3).map((row) => ({
      ...row,
      id: row.id - 8,
      training_id: 1,
      state_changed_at: '2026-09-15T05:00:12Z',
    }));
    expect(rollbackTargets([...MODELS, ...older]).map((row) => row.id)).toEqual([11, 12, 13, 14]);
    expect(rollbackTargets([...older, ...MODELS]).map((row) => row.id)).toEqual([11, 12, 13, 14]);
    expect(rollbackTargets(MODELS.filter((row) => row.state !== 'retired'))).toEqual([]);
  });

  it('formats the figures and counts of the confirmations', () => {
    expect(aucText(0.8, [0.76, 0.84])).toBe('0.800 (0.760–0.840)');
    expect(aucText(0.8, null)).toBe('0.800');
    expect(aucText(null, null)).toBe('—');
    expect(qualifiedChangeText(37, 12)).toBe('37 accounts become qualified, 12 stop');
    expect(qualifiedChangeText(1, 1)).toBe('1 account becomes qualified, 1 stops');
    expect(addDays('2026-11-29', 14)).toBe('2026-12-13');
    expect(addDays('2026-12-25', 10)).toBe('2027-01-04');
  });

  it('reads the version list as an array, and asks for a page of compared accounts', async () => {
    const fetch = stubFetch({
      '/api/models': MODELS,
      '/api/models/compare/accounts': { total: 0, accounts: [] },
    });
    await expect(fetchModels('t')).resolves.toHaveLength(16);
    await fetchComparisonAccounts({ kind: 'becoming_qualified', limit: 50, offset: 100 }, 't');
    expect(fetch.mock.calls[1][0]).toBe(
      '/api/models/compare/accounts?kind=becoming_qualified&limit=50&offset=100',
    );
    expect(fetch.mock.calls[1][1].headers.Authorization).toBe('Bearer t');
  });
});
