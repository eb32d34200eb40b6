import { createElement } from 'lwc';
import RetentionPage from 'sf/retentionPage';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const CLIENT = { call: (request) => request('access-token-1') };
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const field = (element, name, id) => $(element, `fieldset[data-class="${name}"] [data-id="${id}"]`);

const KEPT = { activitiesDays: null, outboundDays: 365, scoreRuns: 30, auditDays: null };
/** The daily job's purge as GET /api/audit answers it. */
const PURGE = {
  id: 41,
  at: '2026-12-04T02:00:00.000Z',
  actor: 'daily job',
  actorKind: 'operator',
  action: 'retention.purge',
  targetType: 'settings',
  targetId: 'retention',
  summary: 'retention purge deleted 1250 rows (…)',
  counts: { outreach_enrollment_attempts: 1200, account_scores: 50 },
};

async function render({ canViewAudit = true } = {}) {
  const element = createElement('sf-retention-page', { is: RetentionPage });
  element.client = CLIENT;
  element.canViewAudit = canViewAudit;
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

function type(element, name, value) {
  const input = field(element, name, 'value');
  input.value = value;
  input.dispatchEvent(new CustomEvent('input'));
}

function toggleKeep(element, name) {
  const box = field(element, name, 'keep');
  box.checked = !box.checked;
  box.dispatchEvent(new CustomEvent('change'));
}

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-retention-page', () => {
  it('shows each class kept for ever or its number, and the last purge with its counts', async () => {
    const fetch = stubFetch({
      '/api/retention': { retention: KEPT },
      '/api/audit': { entries: [PURGE], next: null },
    });
    const element = await render();
    const state = (name) => [field(element, name, 'keep').checked, field(element, name, 'value').value];
    expect(['activitiesDays', 'outboundDays', 'scoreRuns', 'auditDays'].map(state)).toEqual([
      [true, ''],
      [false, '365'],
      [false, '30'],
      [true, ''],
    ]);
    expect(field(element, 'activitiesDays', 'value').disabled).toBe(true);
    expect(textOf($(element, 'fieldset[data-class="scoreRuns"] label.slds-form-element__label'))).toBe(
      'Score runs: latest runs kept',
    );
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      '/api/retention',
      '/api/audit?action=retention.purge&limit=1',
    ]);
    expect(textOf($(element, '[data-id="last-purge-summary"]'))).toMatch(
      /^Dec 4, 2026: 1,250 rows deleted\.$/,
    );
    const rows = [...element.shadowRoot.querySelectorAll('tr[data-table]')].map((tr) =>
      [...tr.children].map((cell) => textOf(cell)),
    );
    expect(rows).toEqual([
      ['account_scores', '50'],
      ['outreach_enrollment_attempts', '1,200'],
    ]);
  });

  it('says no purge ran yet; without audit.view it does not ask the audit log', async () => {
    let fetch = stubFetch({
      '/api/retention': { retention: KEPT },
      '/api/audit': { entries: [], next: null },
    });
    let element = await render();
    expect(textOf($(element, '[data-id="no-purge"]'))).toBe('No purge has run yet.');
    clearBody();
    fetch = stubFetch({ '/api/retention': { retention: KEPT } });
    element = await render({ canViewAudit: false });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect($(element, '[data-id="no-purge"]')).toBeNull();
    expect($(element, '[data-id="last-purge"]')).toBeNull();
  });

  it('saves every class: a number, or null for kept for ever', async () => {
    const fetch = stubFetch({
      '/api/retention': (url, init) => {
        const retention = init.method === 'PUT' ? JSON.parse(init.body) : KEPT;
        return answer(200, { retention });
      },
    });
    const element = await render({ canViewAudit: false });
    toggleKeep(element, 'activitiesDays');
    await flushPromises();
    type(element, 'activitiesDays', '730');
    toggleKeep(element, 'outboundDays');
    await flushPromises();
    $(element, '[data-id="form"]').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();
    const put = fetch.mock.calls.find(([, init]) => init.method === 'PUT');
    expect(JSON.parse(put[1].body)).toEqual({
      activitiesDays: 730,
      outboundDays: null,
      scoreRuns: 30,
      auditDays: null,
    });
    expect(textOf($(element, '[data-id="notice"]'))).toBe(
      'Saved. The daily job applies these settings at its next run.',
    );
    expect(field(element, 'outboundDays', 'value').disabled).toBe(true);
  });

  it('checks the numbers before sending: a missing or partial number is said under its field', async () => {
    const fetch = stubFetch({ '/api/retention': { retention: KEPT } });
    const element = await render({ canViewAudit: false });
    type(element, 'scoreRuns', '2.5');
    toggleKeep(element, 'auditDays');
    await flushPromises();
    $(element, '[data-id="form"]').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(textOf($(element, '[data-id="error"]'))).toBe('Some values cannot be saved: see below.');
    expect(textOf(field(element, 'scoreRuns', 'field-error'))).toBe(
      'Give a whole number from 1 to 100,000, or keep for ever.',
    );
    expect(textOf(field(element, 'auditDays', 'field-error'))).toBe(
      'Give a whole number from 1 to 36,500, or keep for ever.',
    );
    expect(field(element, 'outboundDays', 'field-error')).toBeNull();
  });

  it("shows the API's validation messages under their fields (the service's limits are the ones that count)", async () => {
    stubFetch({
      '/api/retention': (url, init) => {
        if (init.method !== 'PUT') {
          return answer(200, { retention: KEPT });
        }
        return answer(400, {
          error: {
            code: 'validation_failed',
            message: 'invalid request input: outboundDays: Too big: expected number to be <=36500',
            details: [{ path: ['outboundDays'], message: 'Too big: expected number to be <=36500' }],
          },
        });
      },
    });
    const element = await render({ canViewAudit: false });
    type(element, 'outboundDays', '36500');
    $(element, '[data-id="form"]').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();
    expect(textOf($(element, '[data-id="error"]'))).toBe(
      'invalid request input: outboundDays: Too big: expected number to be <=36500',
    );
    expect(textOf(field(element, 'outboundDays', 'field-error'))).toBe(
      'Too big: expected number to be <=36500',
    );
    expect($(element, 'fieldset[data-class="outboundDays"] .slds-has-error')).not.toBeNull();
  });
});
