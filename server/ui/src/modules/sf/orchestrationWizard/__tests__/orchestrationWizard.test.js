import { createElement } from 'lwc';
import OrchestrationWizard from 'sf/orchestrationWizard';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const CLIENT = { call: (request) => request('access-token-1') };
const SEGMENTS = {
  segments: [
    { id: 7, name: 'In-market strong fit' },
    { id: 3, name: 'EMEA software' },
  ],
};
const PROVIDERS = {
  providers: [{ id: 1, name: 'Vendor export', type: 'csv', settings: { dir: '/data/vendor' } }],
};
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

async function render(props = {}) {
  const element = createElement('sf-orchestration-wizard', { is: OrchestrationWizard });
  Object.assign(element, { client: CLIENT, ...props });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

/** Types into an input (or picks in a select) the way a user does. */
async function fill(root, selector, value) {
  const input = root.querySelector(selector);
  input.value = value;
  input.dispatchEvent(new CustomEvent(input.tagName === 'SELECT' ? 'change' : 'input'));
  await flushPromises();
}

async function check(root, selector, checked = true) {
  const input = root.querySelector(selector);
  input.checked = checked;
  input.dispatchEvent(new CustomEvent('change'));
  await flushPromises();
}

async function click(root, selector) {
  root.querySelector(selector).click();
  await flushPromises();
}

const step = (element) => $(element, '[data-id="step"]').dataset.step;
const next = (element) => click(element.shadowRoot, '[data-id="next"]');

function routes(saved) {
  return {
    '/api/segments': SEGMENTS,
    '/api/providers': PROVIDERS,
    '/api/orchestrations': (url, init) => {
      saved.push({ method: init.method, body: JSON.parse(init.body) });
      return answer(201, { orchestration: { id: 12, name: 'x' } });
    },
  };
}

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-orchestration-wizard', () => {
  it('saves exactly the o.json of an acquire orchestration to a Salesforce campaign, step by step', async () => {
    const saved = [];
    stubFetch(routes(saved));
    const element = await render({ canRestrictedRegions: true });
    const root = element.shadowRoot;
    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);

    expect($$(element, 'nav li').map((li) => textOf(li))).toEqual([
      '1. Goal and name',
      '2. Segment',
      '3. Target',
      '4. Filters',
      '5. Push settings',
      '6. Review',
    ]);
    expect(step(element)).toBe('goal');
    await fill(root, '[data-id="name"]', ' EMEA finance buyers ');
    await next(element);

    expect(step(element)).toBe('segment');
    expect($$(element, '[data-id="segment"] option').map((o) => textOf(o))).toEqual([
      'Pick a segment',
      'EMEA software',
      'In-market strong fit',
    ]);
    await fill(root, '[data-id="segment"]', '7');
    await next(element);

    expect(step(element)).toBe('target');
    await fill(root, '[data-id="campaign-id"]', '701Ax000001CaMpAIG');
    await check(root, '[data-id="create"][data-value="contact"]');
    await fill(root, '[data-id="provider"]', 'Vendor export');
    expect(textOf($(element, '[data-id="mapping"]'))).toContain(
      'LeadSource “Signalfit” and the package field Signalfit_Source_Type__c “Orchestration”',
    );
    await next(element);

    expect(step(element)).toBe('filters');
    await check(root, '[data-id="use-persona-map"]');
    const titles = $(element, 'sf-orchestration-titles').shadowRoot;
    expect(textOf(titles.querySelector('[data-id="no-titles"]'))).toBe(
      'No title entries: every title passes.',
    );
    await click(titles, '[data-id="add-title"]');
    await click(titles, '[data-id="add-title"]');
    const entries = () => [...titles.querySelectorAll('li[data-entry]')];
    // The first entry: Directors and Staff in Finance whose title says accountant, not intern.
    const levels = entries()[0].querySelector('[data-id="levels"]');
    [...levels.options].forEach((option) => {
      option.selected = ['Director', 'Staff'].includes(option.value);
    });
    levels.dispatchEvent(new CustomEvent('change'));
    await flushPromises();
    await fill(entries()[0], '[data-id="functions"]', 'Finance');
    await fill(entries()[0], '[data-id="include"]', 'accountant, controller');
    await fill(entries()[0], '[data-id="exclude"]', 'intern');
    // The second entry: any VP; then moved up, ahead of the first.
    const secondLevels = entries()[1].querySelector('[data-id="levels"]');
    [...secondLevels.options].forEach((option) => {
      option.selected = option.value === 'VP';
    });
    secondLevels.dispatchEvent(new CustomEvent('change'));
    await flushPromises();
    await click(entries()[1], '[data-id="up"]');
    expect(entries()[0].querySelector('[data-id="up"]').disabled).toBe(true);
    expect(entries()[1].querySelector('[data-id="down"]').disabled).toBe(true);
    // A third one, added and removed.
    await click(titles, '[data-id="add-title"]');
    expect(entries()).toHaveLength(3);
    await click(entries()[2], '[data-id="remove"]');
    expect(entries()).toHaveLength(2);

    await fill(root, '[data-id="geo-include"]', 'us, AU');
    await fill(root, '[data-id="geo-exclude"]', 'nz');
    await check(root, '[data-id="prioritize-visited"]');
    await fill(root, '[data-id="min-email-confidence"]', 'B');
    await fill(root, '[data-id="max-per-account"]', '3');
    await check(root, '[data-id="allow-restricted-regions"]');
    await next(element);

    expect(step(element)).toBe('push');
    await check(root, '[data-id="schedule"][data-value="weekly"]');
    await fill(root, '[data-id="weekday"]', 'tuesday');
    await fill(root, '[data-id="cooldown-days"]', '30');
    await next(element);

    expect(step(element)).toBe('review');
    const summary = Object.fromEntries(
      $$(element, '[data-detail]').map((dd) => [dd.dataset.detail, textOf(dd)]),
    );
    expect(summary).toMatchObject({
      goal: 'Acquire new contacts',
      name: 'EMEA finance buyers',
      segment: 'In-market strong fit',
      provider: 'Vendor export',
      target:
        'Salesforce campaign 701Ax000001CaMpAIG: new people are created as Contacts under their accounts, then added as campaign members',
      mapping: 'Lead source “Signalfit”, source type “Orchestration”',
      titles:
        '1. level VP · 2. level Director or Staff; function Finance; title contains “accountant” or “controller”; title without “intern”',
      geography: 'only US, AU; not NZ',
      confidence: 'B or better',
      max: 'at most 3 people per run',
      schedule: 'Runs every Tuesday at 06:00 UTC, and whenever someone presses Run now',
      cooldown: 'an account is not picked again for 30 days',
    });
    await click(root, '[data-id="save"]');

    expect(saved).toEqual([
      {
        method: 'POST',
        body: {
          name: 'EMEA finance buyers',
          goal: 'acquire_contacts',
          segment: 7,
          provider: 'Vendor export',
          target: { type: 'salesforce_campaign', campaignId: '701Ax000001CaMpAIG', create: 'contact' },
          filters: {
            usePersonaMap: true,
            titles: [
              { levels: ['VP'] },
              {
                levels: ['Director', 'Staff'],
                functions: ['Finance'],
                include: ['accountant', 'controller'],
                exclude: ['intern'],
              },
            ],
            geography: { include: ['US', 'AU'], exclude: ['NZ'] },
            prioritizeVisitedCountries: true,
            minEmailConfidence: 'B',
            maxPerAccount: 3,
            allowRestrictedRegions: true,
          },
          schedule: { weekly: 'tuesday' },
          cooldownDays: 30,
        },
      },
    ]);
    expect(navigate.mock.calls[0][0].detail).toEqual({ path: '/orchestrations/12' });
  });

  it('saves exactly the o.json of an add-to-audience orchestration to an Outreach sequence', async () => {
    const saved = [];
    stubFetch(routes(saved));
    const element = await render();
    const root = element.shadowRoot;
    await check(root, '[data-id="goal"][data-value="add_to_audience"]');
    await fill(root, '[data-id="name"]', 'Nurture strong fits');
    await next(element);
    await fill(root, '[data-id="segment"]', '3');
    await next(element);
    // No CSV and no provider when adding to an audience.
    expect($$(element, '[data-id="target-type"]').map((input) => input.dataset.value)).toEqual([
      'salesforce_campaign',
      'outreach_sequence',
    ]);
    expect($(element, '[data-id="provider"]')).toBeNull();
    await check(root, '[data-id="target-type"][data-value="outreach_sequence"]');
    await fill(root, '[data-id="sequence-id"]', '42');
    await fill(root, '[data-id="mailbox-id"]', '5');
    await next(element);
    expect(step(element)).toBe('filters');
    expect($(element, 'sf-orchestration-titles')).toBeNull();
    // Removing leavers applies to campaigns only.
    expect($(element, '[data-id="remove-leavers"]')).toBeNull();
    await fill(root, '[data-id="personas"]', 'Economic Buyer, Security Leader');
    await check(root, '[data-id="grade"][data-value="A"]');
    await check(root, '[data-id="grade"][data-value="B"]');
    await check(root, '[data-id="fit"][data-value="Strong"]');
    await next(element);
    await check(root, '[data-id="schedule"][data-value="daily"]');
    await next(element);
    expect(textOf($(element, '[data-detail="audience"]'))).toBe(
      'the segment’s known contacts and leads with personas Economic Buyer or Security Leader, engagement grade A or B, Strong fit, new since the last run',
    );
    await click(root, '[data-id="save"]');
    expect(saved.map((s) => s.body)).toEqual([
      {
        name: 'Nurture strong fits',
        goal: 'add_to_audience',
        segment: 3,
        target: { type: 'outreach_sequence', sequenceId: '42', mailboxId: '5' },
        audience: { personas: ['Economic Buyer', 'Security Leader'], grades: ['A', 'B'], fits: ['Strong'] },
        schedule: 'daily',
      },
    ]);
  });

  it('keeps each step until it is right, saying what is wrong at the field', async () => {
    stubFetch(routes([]));
    const element = await render();
    const root = element.shadowRoot;
    await next(element);
    expect(step(element)).toBe('goal');
    expect(textOf($(element, '[data-error="name"]'))).toBe('Give the orchestration a name.');
    expect($(element, '[data-error="name"]').parentElement.className).toContain('slds-has-error');
    await fill(root, '[data-id="name"]', 'Buyers');
    expect($(element, '[data-error="name"]')).toBeNull();
    await next(element);
    await next(element);
    expect(step(element)).toBe('segment');
    expect(textOf($(element, '[data-error="segment"]'))).toBe('Pick the segment whose accounts it works on.');
    await fill(root, '[data-id="segment"]', '7');
    await next(element);
    await next(element);
    expect(step(element)).toBe('target');
    expect(textOf($(element, '[data-error="campaignId"]'))).toBe(
      'Enter the Salesforce campaign id (it starts with 701).',
    );
    expect(textOf($(element, '[data-error="provider"]'))).toBe('Pick the contact-data provider to buy from.');
    await check(root, '[data-id="target-type"][data-value="csv"]');
    await fill(root, '[data-id="provider"]', 'Vendor export');
    await next(element);
    expect(step(element)).toBe('filters');
    // Only an Admin is offered restricted regions.
    expect($(element, '[data-id="allow-restricted-regions"]')).toBeNull();
    await fill(root, '[data-id="geo-include"]', 'US, Germany');
    await fill(root, '[data-id="max-per-account"]', '0');
    await next(element);
    expect(step(element)).toBe('filters');
    expect(textOf($(element, '[data-error="geoInclude"]'))).toBe(
      'Countries are two-letter ISO codes (e.g. US, DE): not Germany.',
    );
    expect(textOf($(element, '[data-error="maxPerAccount"]'))).toBe(
      'The maximum per account is a whole number of 1 or more.',
    );
    // Back keeps what was typed.
    await click(root, '[data-id="back"]');
    expect($(element, '[data-id="provider"]').value).toBe('Vendor export');
  });

  it("shows the service's refusal at the step its path names, and saves once it is fixed", async () => {
    const bodies = [];
    stubFetch({
      '/api/segments': SEGMENTS,
      '/api/providers': PROVIDERS,
      '/api/orchestrations': (url, init) => {
        bodies.push(JSON.parse(init.body));
        return bodies.length === 1
          ? answer(400, {
              error: {
                code: 'invalid_orchestration',
                message: 'orchestration: target.campaignId: a Salesforce campaign id starts with 701',
                details: { path: 'target.campaignId' },
              },
            })
          : answer(201, { orchestration: { id: 4 } });
      },
    });
    const element = await render();
    const root = element.shadowRoot;
    await fill(root, '[data-id="name"]', 'Buyers');
    await next(element);
    await fill(root, '[data-id="segment"]', '7');
    await next(element);
    await fill(root, '[data-id="campaign-id"]', '00vAx0000001');
    await fill(root, '[data-id="provider"]', 'Vendor export');
    await next(element);
    await next(element);
    await next(element);
    await click(root, '[data-id="save"]');
    expect(step(element)).toBe('target');
    expect(textOf($(element, '[data-id="step-error"]'))).toBe(
      'orchestration: target.campaignId: a Salesforce campaign id starts with 701',
    );
    await fill(root, '[data-id="campaign-id"]', '701Ax0000001');
    await next(element);
    await next(element);
    await next(element);
    expect($(element, '[data-id="step-error"]')).toBeNull();
    await click(root, '[data-id="save"]');
    expect(bodies[1].target).toEqual({
      type: 'salesforce_campaign',
      campaignId: '701Ax0000001',
      create: 'lead',
    });
  });

  it('edits an orchestration: the same steps, filled in, and a PATCH of what changed', async () => {
    const patches = [];
    stubFetch({
      '/api/segments': SEGMENTS,
      '/api/providers': PROVIDERS,
      '/api/orchestrations/12': (url, init) => {
        if (init.method === 'PATCH') {
          patches.push(JSON.parse(init.body));
          return answer(200, { orchestration: { id: 12 } });
        }
        return answer(200, {
          orchestration: {
            id: 12,
            name: 'Buyers',
            goal: 'acquire_contacts',
            segment: { id: 7, name: 'In-market strong fit' },
            provider: { id: 1, name: 'Vendor export' },
            target: { type: 'csv' },
            filters: { titles: [{ levels: ['VP'] }], maxPerAccount: 2 },
            audience: null,
            schedule: 'manual',
            cooldownDays: 0,
            state: 'idle',
          },
          changes: [],
        });
      },
    });
    const element = await render({ orchestrationId: '12' });
    const root = element.shadowRoot;
    expect(textOf($(element, 'h1'))).toBe('Edit orchestration: Buyers');
    expect($(element, '[data-id="name"]').value).toBe('Buyers');
    expect($$(element, '[data-id="goal"]').every((radio) => radio.disabled)).toBe(true);
    await next(element);
    expect($(element, '[data-id="segment"]').value).toBe('7');
    await next(element);
    await next(element);
    await fill(root, '[data-id="max-per-account"]', '4');
    await next(element);
    await check(root, '[data-id="schedule"][data-value="daily"]');
    await next(element);
    await click(root, '[data-id="save"]');
    expect(patches).toEqual([
      { filters: { titles: [{ levels: ['VP'] }], maxPerAccount: 4 }, schedule: 'daily' },
    ]);
  });
});
