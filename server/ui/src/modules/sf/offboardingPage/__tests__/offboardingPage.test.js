import { createElement } from 'lwc';
import OffboardingPage from 'sf/offboardingPage';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const CLIENT = { call: (request) => request('access-token-1') };
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

const step = (id, title, extra = {}) => ({
  id,
  title,
  done: false,
  at: null,
  by: null,
  detail: null,
  command: null,
  manual: false,
  ...extra,
});
const STEPS = [
  step('export', 'Export everything', {
    done: true,
    at: '2026-12-01T10:00:00.000Z',
    by: 'command line',
    detail: 'signalfit-export-x.zip, SHA-256 88e0',
    command: 'signalfit offboard export <dir>',
  }),
  step('disconnect', 'Disconnect integrations', { command: 'signalfit offboard disconnect' }),
  step('opt-outs', 'Review the opt-out report', { manual: true }),
  step('delete', 'Delete everything', { command: 'signalfit offboard delete' }),
];

async function render() {
  const element = createElement('sf-offboarding-page', { is: OffboardingPage });
  element.client = CLIENT;
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-offboarding-page', () => {
  it('lists the steps with their state and exact command', async () => {
    stubFetch({ '/api/offboarding': { steps: STEPS } });
    const element = await render();
    const items = $$(element, '[data-step]').filter((node) => node.tagName === 'LI');
    expect(items.map((li) => li.dataset.step)).toEqual(['export', 'disconnect', 'opt-outs', 'delete']);
    expect(textOf(items[0].querySelector('[data-id="state"]'))).toMatch(/^Done .+ by command line$/);
    expect(textOf(items[0].querySelector('[data-id="detail"]'))).toBe('signalfit-export-x.zip, SHA-256 88e0');
    expect(items.map((li) => textOf(li.querySelector('[data-id="command"]')))).toEqual([
      'signalfit offboard export <dir>',
      'signalfit offboard disconnect',
      null,
      'signalfit offboard delete',
    ]);
    expect(textOf(items[1].querySelector('[data-id="state"]'))).toBe('Not done');
    // Only the manual step not done yet can be marked.
    expect(items.map((li) => !!li.querySelector('lightning-button'))).toEqual([false, false, true, false]);
  });

  it('marks a manual step done and shows the checklist the service answers', async () => {
    const done = { done: true, at: '2026-12-02T09:00:00.000Z', by: 'ada@acme.example' };
    const marked = STEPS.map((s) => (s.id === 'opt-outs' ? { ...s, ...done } : s));
    const fetch = stubFetch({
      '/api/offboarding': { steps: STEPS },
      '/api/offboarding/opt-outs': () => answer(200, { steps: marked }),
    });
    const element = await render();
    $(element, 'li[data-step="opt-outs"] lightning-button').click();
    await flushPromises();
    expect(fetch).toHaveBeenLastCalledWith(
      '/api/offboarding/opt-outs',
      expect.objectContaining({ method: 'POST' }),
    );
    expect(textOf($(element, 'li[data-step="opt-outs"] [data-id="state"]'))).toMatch(
      /^Done .+ by ada@acme\.example$/,
    );
    expect($(element, 'li[data-step="opt-outs"] lightning-button')).toBeNull();
  });

  it('says so when the checklist cannot be read', async () => {
    stubFetch({
      '/api/offboarding': () =>
        answer(403, {
          error: { code: 'forbidden', message: 'reading the offboarding checklist is for the Admin roles' },
        }),
    });
    const element = await render();
    expect(textOf($(element, '[data-id="error"]'))).toMatch(/^The checklist could not be read: /);
  });
});
