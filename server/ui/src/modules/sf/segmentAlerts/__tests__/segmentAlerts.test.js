import { createElement } from 'lwc';
import SegmentAlerts from 'sf/segmentAlerts';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const ALERTS = require('../../../../../test/data/alerts.json');
const CLIENT = { call: (request) => request('access-token-1') };
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

async function render(props = {}) {
  const element = createElement('sf-segment-alerts', { is: SegmentAlerts });
  Object.assign(element, {
    client: CLIENT,
    segment: { id: 3, name: 'In-market strong fit' },
    canManage: true,
    ...props,
  });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

function set(input, value) {
  input.value = value;
  input.dispatchEvent(new CustomEvent(input.tagName === 'SELECT' ? 'change' : 'input'));
}

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-segment-alerts', () => {
  it("lists this segment's subscriptions and recent alerts only", async () => {
    stubFetch({ '/api/alerts': ALERTS });
    const element = await render();
    const subscriptions = $$(element, '[data-subscription]').filter((el) => el.tagName === 'LI');
    expect(subscriptions.map((li) => textOf(li.querySelector('[data-id="event"]')))).toEqual([
      'Became qualified',
      'Entered the segment',
    ]);
    expect(subscriptions.map((li) => textOf(li.querySelector('[data-id="webhook"]')))).toEqual([
      'https://hooks.slack.com/services/T000…/…XyZ9',
      'In the app only',
    ]);
    // Only a Slack subscription can be tested.
    expect(subscriptions.map((li) => !!li.querySelector('[data-id="test"]'))).toEqual([true, false]);
    const recent = $$(element, '[data-id="recent"] tbody tr').map((tr) =>
      [...tr.querySelectorAll('th, td')].map((cell) => textOf(cell)),
    );
    expect(recent).toEqual([['Nov 19, 2026', 'Pied Piper', 'Became qualified', 'Sent Nov 19, 2026']]);
  });

  it('adds a subscription with event, webhook and delivery, then lists it', async () => {
    let created = false;
    const added = {
      id: 24,
      segment: { id: 3, name: 'In-market strong fit' },
      event: 'stage_advanced',
      digest: 'daily',
      slackWebhook: 'http://127.0.0.1:4000/…hook',
      createdBy: 'Demo user',
      createdAt: '2026-11-20T09:00:00.000Z',
    };
    const fetch = stubFetch({
      '/api/alerts': (url, init) => {
        if (init.method === 'POST') {
          created = true;
          return answer(201, { subscription: added });
        }
        return answer(200, created ? { ...ALERTS, subscriptions: [...ALERTS.subscriptions, added] } : ALERTS);
      },
    });
    const element = await render();
    set($(element, '[data-id="event-select"]'), 'stage_advanced');
    set($(element, '[data-id="webhook-input"]'), ' http://127.0.0.1:4000/hook ');
    set($(element, '[data-id="digest-select"]'), 'daily');
    $(element, 'form').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();
    const post = fetch.mock.calls.find(([, init]) => init.method === 'POST');
    expect(JSON.parse(post[1].body)).toEqual({
      segment: 3,
      event: 'stage_advanced',
      digest: 'daily',
      slackWebhookUrl: 'http://127.0.0.1:4000/hook',
    });
    expect($$(element, 'li[data-subscription]')).toHaveLength(3);
    expect($(element, '[data-id="webhook-input"]').value).toBe('');
  });

  it('sends a test message and says how it went; deletes a subscription', async () => {
    const fetch = stubFetch({
      '/api/alerts': ALERTS,
      '/api/alerts/21/test': () =>
        answer(502, { error: { code: 'slack_unavailable', message: 'Slack answered 404 (no_service)' } }),
      '/api/alerts/22': () => answer(204),
    });
    const element = await render();
    $(element, 'li[data-subscription="21"] [data-id="test"]').click();
    await flushPromises();
    const note = $(element, 'li[data-subscription="21"] [data-id="note"]');
    expect(textOf(note)).toBe('Slack answered 404 (no_service)');
    expect(note.className).toBe('slds-text-color_error');

    $(element, 'li[data-subscription="22"] [data-id="delete"]').click();
    await flushPromises();
    const del = fetch.mock.calls.find(([url]) => url === '/api/alerts/22');
    expect(del[1].method).toBe('DELETE');
  });

  it('shows only the recent alerts to those who may not manage alerts', async () => {
    stubFetch({ '/api/alerts': ALERTS });
    const element = await render({ canManage: false });
    expect($(element, '[data-id="subscriptions"]')).toBeNull();
    expect($$(element, '[data-id="recent"] tbody tr')).toHaveLength(1);
  });
});
