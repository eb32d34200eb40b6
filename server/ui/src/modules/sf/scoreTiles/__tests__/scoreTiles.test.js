import { createElement } from 'lwc';
import ScoreTiles from 'sf/scoreTiles';
import { clearBody, textOf } from '../../../../../test/lwcTesting';

const { scores: ACME_SCORES } = require('../../../../../test/data/accountIntelligence.json');

function render(scores) {
  const element = createElement('sf-score-tiles', { is: ScoreTiles });
  element.scores = scores;
  document.body.appendChild(element);
  return element;
}

const tiles = (element) =>
  [...element.shadowRoot.querySelectorAll('.sf-tile')].map((tile) =>
    [...tile.querySelectorAll('p')].map((p) => textOf(p)),
  );

afterEach(clearBody);

describe('sf-score-tiles', () => {
  it("shows the account's fit, intent, reach and qualification as tiles", () => {
    const element = render(ACME_SCORES);
    expect(tiles(element)).toEqual([
      ['Profile fit', 'Strong', '88 / 100'],
      ['Intent score', '82', 'out of 100'],
      ['Reach', 'High', 'our recent touches'],
      ['Qualified', 'Yes', 'since Nov 10, 2026'],
    ]);
    const values = [...element.shadowRoot.querySelectorAll('.sf-tile__value')].map((v) => v.className);
    expect(values.every((className) => className.includes('sf-good'))).toBe(true);
  });

  it('draws the five buying stages in order, the current one marked for screen readers', () => {
    const element = render(ACME_SCORES);
    const items = [...element.shadowRoot.querySelectorAll('.slds-path__item')];
    expect(items.map((item) => textOf(item.querySelector('.slds-path__title')))).toEqual([
      'Target',
      'Awareness',
      'Consideration',
      'Decision',
      'Purchase',
    ]);
    expect(items.map((item) => textOf(item.querySelector('.slds-assistive-text')))).toEqual([
      'Stage passed:',
      'Stage passed:',
      'Stage passed:',
      'Current stage:',
      'Stage ahead:',
    ]);
    expect(items[3].getAttribute('aria-current')).toBe('step');
    expect(items[3].className).toContain('slds-is-current');
    const stageLine = [...element.shadowRoot.querySelectorAll('.sf-stage-line span')].map(textOf);
    expect(stageLine).toEqual(['Buying stage', 'Decision', 'stage 4 of 5']);
    expect(element.shadowRoot.querySelector('.sf-stage-path').getAttribute('aria-label')).toBe(
      'Buying stage: Decision',
    );
  });

  it('says what is missing for an account without a profile score that is not qualified', () => {
    const element = render({
      ...ACME_SCORES,
      profileFit: null,
      profileScore: null,
      intentScore: 31,
      buyingStage: 'Target',
      reach: 'Low',
      qualified: false,
      qualifiedSince: null,
    });
    expect(tiles(element)).toEqual([
      ['Profile fit', 'Unknown', 'no profile score'],
      ['Intent score', '31', 'out of 100'],
      ['Reach', 'Low', 'our recent touches'],
      ['Qualified', 'No', 'fit and late stage needed'],
    ]);
    expect(element.shadowRoot.querySelector('[aria-current="step"]').textContent).toContain('Target');
  });
});
