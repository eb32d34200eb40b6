import { createElement } from 'lwc';
import ReportDrill from 'sf/reportDrill';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const ACCOUNTS = require('../../../../../test/data/segmentPerformanceAccounts.json');
const CLIENT = { call: (request) => request('access-token-1') };
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

function blobText(blob) {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.readAsText(blob);
  });
}

async function render(routes) {
  const fetch = stubFetch(routes);
  const element = createElement('sf-report-drill', { is: ReportDrill });
  Object.assign(element, {
    client: CLIENT,
    query: 'segments=7&type=stage&baseline=2026-09&analysis=2026-10&cohort=analysis',
    table: 'distribution',
    drillKey: 'analysis.Decision',
    label: 'Analysis accounts Decision',
  });
  document.body.appendChild(element);
  await flushPromises();
  return { element, fetch };
}

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-report-drill', () => {
  it('lists the accounts behind the number, says when only the first 500 are shown, and exports them safely', async () => {
    const many = { ...ACCOUNTS, total: 1234 };
    const { element, fetch } = await render({ '/api/reports/segment-performance/accounts': many });
    expect(fetch.mock.calls[0][0]).toBe(
      '/api/reports/segment-performance/accounts?segments=7&type=stage&baseline=2026-09&analysis=2026-10&cohort=analysis&table=distribution&key=analysis.Decision',
    );
    expect(textOf($(element, 'h1'))).toBe('Accounts: Analysis accounts Decision');
    expect(textOf($(element, '[data-id="drill-total"]'))).toBe('1,234 accounts, the first 2 by name');
    const rows = [...element.shadowRoot.querySelectorAll('tbody tr')];
    expect(rows.map((tr) => [...tr.children].map((cell) => textOf(cell)))).toEqual([
      ['Acme Cloud', 'acme.example'],
      ['=Brightline Health', 'brightline.example'],
    ]);
    let saved;
    URL.createObjectURL = jest.fn((blob) => {
      saved = blob;
      return 'blob:drill';
    });
    URL.revokeObjectURL = jest.fn();
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    $(element, '[data-id="drill-export"]').click();
    await expect(blobText(saved)).resolves.toBe(
      "id,name,domain\r\n001A000001,Acme Cloud,acme.example\r\n001A000002,'=Brightline Health,brightline.example\r\n",
    );
    click.mockRestore();
  });

  it('shows a refusal and closes on Escape', async () => {
    const { element } = await render({
      '/api/reports/segment-performance/accounts': () =>
        answer(400, { error: { code: 'bad_request', message: 'unknown key: analysis.Nope' } }),
    });
    expect(textOf($(element, '[role="alert"]'))).toBe('unknown key: analysis.Nope');
    const close = jest.fn();
    element.addEventListener('close', close);
    $(element, 'section').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(close).toHaveBeenCalled();
  });
});
