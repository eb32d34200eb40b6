import { createElement } from 'lwc';
import ReasonList from 'sf/reasonList';
import { clearBody, textOf } from '../../../../../test/lwcTesting';

const { scores } = require('../../../../../test/data/accountIntelligence.json');

function render(props) {
  const element = createElement('sf-reason-list', { is: ReasonList });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

afterEach(clearBody);

describe('sf-reason-list', () => {
  it('lists the signals behind a score, each saying whether it raised or lowered it', () => {
    const element = render({ title: 'Why this profile fit', reasons: scores.reasons.profile });
    expect(textOf(element.shadowRoot.querySelector('h3'))).toBe('Why this profile fit');
    const items = [...element.shadowRoot.querySelectorAll('li')];
    expect(items.map((li) => textOf(li))).toEqual([
      'Industry: Software',
      'Employees: 1,000–4,999',
      'Country: US',
    ]);
    const icons = items.map((li) => li.querySelector('lightning-icon'));
    expect(icons.map((icon) => icon.iconName)).toEqual([
      'utility:arrowup',
      'utility:arrowup',
      'utility:arrowdown',
    ]);
    expect(icons.map((icon) => icon.alternativeText)).toEqual([
      'raises the score',
      'raises the score',
      'lowers the score',
    ]);
  });

  it('says so when a score has no recorded signal', () => {
    const element = render({ title: 'Why this reach', reasons: [] });
    expect(element.shadowRoot.querySelector('li')).toBeNull();
    expect(textOf(element.shadowRoot.querySelector('p'))).toBe('No signals recorded.');
  });
});
