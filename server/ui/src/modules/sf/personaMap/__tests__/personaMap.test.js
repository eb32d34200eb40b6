import { createElement } from 'lwc';
import PersonaMap from 'sf/personaMap';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const { personaMap: ACME_PERSONAS } = require('../../../../../test/data/accountIntelligence.json');
const OUTREACH_STATUS = require('../../../../../test/data/outreachStatus.json');

async function render(props) {
  const element = createElement('sf-persona-map', { is: PersonaMap });
  Object.assign(element, { personaMap: ACME_PERSONAS }, props);
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

const sections = (element) => [...element.shadowRoot.querySelectorAll('section.sf-persona')];
const checkbox = (element, name) =>
  [...element.shadowRoot.querySelectorAll('input[type="checkbox"]')].find((input) =>
    input.parentElement.textContent.includes(name),
  );

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-persona-map', () => {
  it('shows the personas in priority order with their people and gaps', async () => {
    const element = await render({});
    const groups = sections(element);
    expect(groups.map((group) => textOf(group.querySelector('h3')))).toEqual([
      'Economic Buyer',
      'Security Leader',
      'Technical Evaluator',
      'Practitioner',
    ]);
    const gaps = groups.map((group) => {
      const badge = group.querySelector('lightning-badge');
      return badge ? badge.label : null;
    });
    expect(gaps).toEqual(['Gap: no one engaged', null, 'Gap: no one known', 'Gap: no one engaged']);
    expect(textOf(groups[1])).toContain('1 person');
    expect(textOf(groups[2])).toContain('No one with this persona is known at the account.');
    expect(textOf(element.shadowRoot.querySelector('.sf-personas + p'))).toBe('1 person matches no persona.');
  });

  it('shows each person with their grade, fit, last activity and lead or opted-out marks', async () => {
    const element = await render({});
    const practitioners = sections(element)[3];
    const people = [...practitioners.querySelectorAll('li')];
    expect(people.map((li) => textOf(li.querySelector('button')))).toEqual(['Lee Park', 'Pat Silva']);
    const lee = people[0];
    expect(textOf(lee.querySelector('.slds-truncate'))).toBe('DevOps Manager · Lead');
    expect(textOf(lee.querySelector('.sf-grade [aria-hidden="true"]'))).toBe('C');
    expect(lee.querySelector('.sf-grade').className).toContain('sf-grade_c');
    expect(textOf(lee)).toContain('Moderate fit · No activity in 90 days');
    expect(lee.querySelector('lightning-badge').label).toBe('Opted out');
    expect(textOf(people[1])).toContain('Weak fit · Last activity Nov 13, 2026');
  });

  it('tells its parent which person to open', async () => {
    const element = await render({});
    const opened = jest.fn();
    element.addEventListener('openperson', opened);
    sections(element)[1].querySelector('button').click();
    expect(opened).toHaveBeenCalledTimes(1);
    expect(opened.mock.calls[0][0].detail).toEqual({ id: '003Ax00000SaM01IAF' });
  });

  it('offers no selection without an access token', async () => {
    const element = await render({});
    expect(element.shadowRoot.querySelector('input[type="checkbox"]')).toBeNull();
  });

  it('lets a user who may enroll select people, but never an opted-out one', async () => {
    const fetch = stubFetch({ '/api/outreach/status': OUTREACH_STATUS });
    const element = await render({ accessToken: 'access-token-1' });
    expect(fetch.mock.calls[0][1].headers.Authorization).toBe('Bearer access-token-1');
    expect(checkbox(element, 'Lee Park').disabled).toBe(true);
    expect(textOf(checkbox(element, 'Lee Park').parentElement)).toBe(
      'Lee Park opted out and cannot be added to a sequence',
    );
    const add = element.shadowRoot.querySelector('lightning-button');
    expect(add.disabled).toBe(true);

    const sam = checkbox(element, 'Select Sam Okafor');
    sam.checked = true;
    sam.dispatchEvent(new CustomEvent('change'));
    await flushPromises();
    expect(textOf(element.shadowRoot.querySelector('[aria-live="polite"]'))).toBe('1 person selected');
    expect(add.disabled).toBe(false);
  });

  it('offers no selection when Outreach is not set up on the service', async () => {
    stubFetch({ '/api/outreach/status': () => answer(200, { ...OUTREACH_STATUS, configured: false }) });
    const element = await render({ accessToken: 'access-token-1' });
    expect(element.shadowRoot.querySelector('input[type="checkbox"]')).toBeNull();
  });

  describe('find more people like this', () => {
    const ACCOUNT = '001Ax00000AcMe1IAF';
    const SESSION = (acquire) => ({ demo: false, signInMethods: [], can: { 'contacts.acquire': acquire } });
    const CANDIDATES = {
      provider: { id: 1, name: 'Vendor export' },
      candidates: [
        {
          provider_id: 'p-7',
          email: 'rae@acme.example',
          first_name: 'Rae',
          last_name: 'Kim',
          title: 'Solutions Architect',
          job_level: 'Staff',
          job_function: 'IT',
          country: 'US',
          email_confidence: 'A',
          cost: 1,
          account_id: ACCOUNT,
          account_name: 'Acme',
          why: 'persona Technical Evaluator',
        },
        {
          provider_id: 'p-8',
          email: 'sol@acme.example',
          first_name: 'Sol',
          last_name: 'Diaz',
          title: 'Platform Engineer',
          job_level: 'Staff',
          job_function: 'IT',
          country: 'MX',
          email_confidence: 'C',
          cost: 2,
          account_id: ACCOUNT,
          account_name: 'Acme',
          why: 'persona Technical Evaluator',
        },
      ],
    };
    const finder = (element) => element.shadowRoot.querySelector('sf-persona-finder');

    it('is offered only on a persona without people, to a user who may buy contacts', async () => {
      stubFetch({ '/api/session': SESSION(true) });
      let element = await render({ accessToken: 'access-token-1', accountId: ACCOUNT });
      const finders = [...element.shadowRoot.querySelectorAll('sf-persona-finder')];
      expect(finders.map((f) => f.persona)).toEqual(['Technical Evaluator']);
      clearBody();
      stubFetch({ '/api/session': SESSION(false) });
      element = await render({ accessToken: 'access-token-1', accountId: ACCOUNT });
      expect(finder(element)).toBeNull();
    });

    it('lists up to 10 candidates and buys one on click, saying what happened', async () => {
      const bought = [];
      const fetch = stubFetch({
        '/api/session': SESSION(true),
        [`/api/accounts/${ACCOUNT}/acquire`]: (url, init) => {
          if (init.method === 'POST') {
            bought.push(JSON.parse(init.body));
            return answer(200, { outcome: 'pushed', target_id: '00QAx00000NeW1' });
          }
          return answer(200, CANDIDATES);
        },
      });
      const element = await render({ accessToken: 'access-token-1', accountId: ACCOUNT });
      const root = finder(element).shadowRoot;
      root.querySelector('[data-id="find-more"]').click();
      await flushPromises();
      expect(fetch.mock.calls.map(([url]) => url)).toContain(
        `/api/accounts/${ACCOUNT}/acquire?persona=Technical%20Evaluator`,
      );
      const rows = [...root.querySelectorAll('tbody tr')];
      expect(
        rows.map((tr) => [...tr.querySelectorAll('th, td')].slice(0, 5).map((cell) => textOf(cell))),
      ).toEqual([
        ['Rae Kim', 'Solutions Architect', 'US', 'A', '1'],
        ['Sol Diaz', 'Platform Engineer', 'MX', 'C', '2'],
      ]);
      const buy = rows[0].querySelector('[data-id="buy"]');
      expect(buy.getAttribute('aria-label')).toBe('Buy Rae Kim');
      buy.click();
      await flushPromises();
      expect(bought).toEqual([{ providerId: 'p-7', persona: 'Technical Evaluator' }]);
      expect(textOf(rows[0].querySelector('[data-id="result"]'))).toBe(
        'Bought and added to Salesforce (00QAx00000NeW1)',
      );
      expect(rows[1].querySelector('[data-id="buy"]')).not.toBeNull();
    });

    it('says when a purchase failed', async () => {
      stubFetch({
        '/api/session': SESSION(true),
        [`/api/accounts/${ACCOUNT}/acquire`]: (url, init) => {
          if (init.method === 'POST') {
            return answer(200, { outcome: 'failed', target_id: null, error: 'The credits are used up.' });
          }
          return answer(200, CANDIDATES);
        },
      });
      const element = await render({ accessToken: 'access-token-1', accountId: ACCOUNT });
      const root = finder(element).shadowRoot;
      root.querySelector('[data-id="find-more"]').click();
      await flushPromises();
      root.querySelector('[data-id="buy"]').click();
      await flushPromises();
      expect(textOf(root.querySelector('[data-id="result"]'))).toBe('Not bought: The credits are used up.');
    });

    it('says clearly when no provider is configured, or no one is found', async () => {
      let answerWith = { provider: null, candidates: [] };
      stubFetch({
        '/api/session': SESSION(true),
        [`/api/accounts/${ACCOUNT}/acquire`]: () => answer(200, answerWith),
      });
      const element = await render({ accessToken: 'access-token-1', accountId: ACCOUNT });
      const root = finder(element).shadowRoot;
      root.querySelector('[data-id="find-more"]').click();
      await flushPromises();
      expect(textOf(root.querySelector('[data-id="no-provider"]'))).toBe(
        'No contact-data provider is configured, so no one can be found. An Admin adds one in Signalfit.',
      );
      answerWith = { provider: { id: 1, name: 'Vendor export' }, candidates: [] };
      root.querySelector('[data-id="find-more"]').click();
      await flushPromises();
      expect(root.querySelector('[data-id="no-provider"]')).toBeNull();
      expect(textOf(root.querySelector('[data-id="nothing-found"]'))).toBe(
        'The provider has no one new like this at the account.',
      );
    });
  });
});
