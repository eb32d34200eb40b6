import { createElement } from 'lwc';
import ScoringStatus from 'sf/scoringStatus';
import { clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const SCORING_STATUS = require('../../../../../test/data/scoringStatus.json');
const CLIENT = { call: (request) => request('access-token-1') };

async function render(lastRun) {
  stubFetch({ '/api/scoring/status': { ...SCORING_STATUS, lastRun } });
  const element = createElement('sf-scoring-status', { is: ScoringStatus });
  element.client = CLIENT;
  document.body.appendChild(element);
  await flushPromises();
  return element;
}
const lastRunText = (element) => textOf(element.shadowRoot.querySelector('[data-id="last-run"]'));

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-scoring-status', () => {
  it("names the last run's model versions", async () => {
    const element = await render({
      ...SCORING_STATUS.lastRun,
      modelVersion: 'intent:15 profile_fit:16 contact_fit:17 engagement:18',
    });
    expect(lastRunText(element)).toBe(
      'Scores last computed Nov 19, 2026 (as of Nov 19, 2026) · model versions: intent #15, profile fit #16, contact fit #17, engagement #18',
    );
  });

  it('shows an older free-text label as it is, and says when there is none', async () => {
    let element = await render(SCORING_STATUS.lastRun);
    expect(lastRunText(element)).toBe(
      'Scores last computed Nov 19, 2026 (as of Nov 19, 2026) · model list-test-1',
    );
    clearBody();
    element = await render({ ...SCORING_STATUS.lastRun, modelVersion: null });
    expect(lastRunText(element)).toBe(
      'Scores last computed Nov 19, 2026 (as of Nov 19, 2026) · model unknown',
    );
  });
});
