import { createElement } from 'lwc';
import AccountView from 'sf/accountView';
import { clearBody, flushPromises, textOf } from '../../../../../test/lwcTesting';

const ACME = require('../../../../../test/data/accountIntelligence.json');

async function render(intelligence) {
  const element = createElement('sf-account-view', { is: AccountView });
  element.intelligence = intelligence;
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

afterEach(clearBody);

describe('sf-account-view', () => {
  it('heads the view with the account and its facts', async () => {
    const element = await render(ACME);
    expect(textOf(element.shadowRoot.querySelector('h1'))).toBe('Acme Cloud');
    expect(textOf(element.shadowRoot.querySelector('h1 + p'))).toBe(
      'acme.example · Software · 1,200 employees · US',
    );
    expect(textOf(element.shadowRoot.querySelector('h2 + p'))).toBe('Scores as of Nov 19, 2026');
  });

  it('hands the scores to the tiles and each reason group to its list', async () => {
    const element = await render(ACME);
    expect(element.shadowRoot.querySelector('sf-score-tiles').scores).toEqual(ACME.scores);
    const lists = [...element.shadowRoot.querySelectorAll('sf-reason-list')];
    expect(lists.map((list) => list.title)).toEqual([
      'Why this profile fit',
      'Why this intent',
      'Why this reach',
    ]);
    expect(lists.map((list) => list.reasons.length)).toEqual([3, 2, 1]);
    expect(textOf(lists[1].shadowRoot.querySelector('li'))).toBe('Researched "sast" 5 times in 30 days');
    expect(element.shadowRoot.querySelector('sf-persona-map').personaMap).toEqual(ACME.personaMap);
    expect(element.shadowRoot.querySelector('sf-trend-chart').trend).toEqual(ACME.researchTrend);
    expect(element.shadowRoot.querySelector('sf-activity-summary').activity).toEqual(ACME.activity);
  });

  it('says when the account is not scored yet', async () => {
    const element = await render({ ...ACME, scores: null });
    expect(element.shadowRoot.querySelector('sf-score-tiles')).toBeNull();
    expect(textOf(element.shadowRoot.querySelector('[role="status"]'))).toBe(
      'Not scored yet: the scores and their reasons appear after the next scoring run.',
    );
    expect(textOf(element.shadowRoot.querySelector('h2 + p'))).toBe('');
  });

  it('passes on which person to open', async () => {
    const element = await render(ACME);
    const opened = jest.fn();
    element.addEventListener('openperson', opened);
    element.shadowRoot
      .querySelector('sf-persona-map')
      .dispatchEvent(new CustomEvent('openperson', { detail: { id: '003Ax00000DaNa1IAF' } }));
    expect(opened.mock.calls[0][0].detail).toEqual({ id: '003Ax00000DaNa1IAF' });
  });

  it("names the account's segments, published ones marked: links in the app, names in the panel", async () => {
    const segments = [
      { id: 7, name: 'EMEA software', published: false },
      { id: 3, name: 'In-market strong fit', published: true },
    ];
    let element = await render({ ...ACME, segments });
    const line = element.shadowRoot.querySelector('[data-id="segments"]');
    expect(textOf(line)).toMatch(/^Segments: EMEA software, In-market strong fit/);
    expect(
      [...line.querySelectorAll('.sf-account__segment')].map((item) =>
        textOf(item.querySelector('.slds-badge')),
      ),
    ).toEqual([null, 'Published']);
    expect(line.querySelector('a')).toBeNull();
    clearBody();

    element = createElement('sf-account-view', { is: AccountView });
    Object.assign(element, { intelligence: { ...ACME, segments }, segmentLinks: true });
    document.body.appendChild(element);
    await flushPromises();
    const links = [...element.shadowRoot.querySelectorAll('[data-id="segments"] a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/segments/7', '/segments/3']);
    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);
    links[1].click();
    expect(navigate.mock.calls[0][0].detail).toEqual({ path: '/segments/3' });
  });

  it('names the model versions that scored the account; in the app, with a link to the Models page', async () => {
    const versioned = {
      ...ACME,
      scores: { ...ACME.scores, modelVersion: 'intent:12 profile_fit:13 contact_fit:14 engagement:15' },
    };
    let element = await render(versioned);
    const line = () => element.shadowRoot.querySelector('[data-id="model-version"]');
    expect(textOf(line())).toBe(
      'Scored by model versions: intent #12, profile fit #13, contact fit #14, engagement #15',
    );
    expect(line().querySelector('a')).toBeNull();
    clearBody();

    element = createElement('sf-account-view', { is: AccountView });
    Object.assign(element, { intelligence: versioned, modelsLink: true });
    document.body.appendChild(element);
    await flushPromises();
    expect(textOf(line())).toBe(
      'Scored by model versions: intent #12, profile fit #13, contact fit #14, engagement #15 · Models page',
    );
    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);
    line().querySelector('a[data-id="models-link"]').click();
    expect(navigate.mock.calls[0][0].detail).toEqual({ path: '/models' });
  });

  it('shows an older free-text model label as it is, and no line before any scoring', async () => {
    let element = await render(ACME);
    expect(textOf(element.shadowRoot.querySelector('[data-id="model-version"]'))).toBe(
      'Scored by model test-1',
    );
    clearBody();
    element = await render({ ...ACME, scores: null });
    expect(element.shadowRoot.querySelector('[data-id="model-version"]')).toBeNull();
  });

  it('has no segments line for an account in none', async () => {
    const element = await render({ ...ACME, segments: [] });
    expect(element.shadowRoot.querySelector('[data-id="segments"]')).toBeNull();
  });
});
