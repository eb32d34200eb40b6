import { createElement } from 'lwc';
import ReportsPage from 'sf/reportsPage';
import { clearBody, flushPromises } from '../../../../../test/lwcTesting';

async function render(can) {
  const element = createElement('sf-reports-page', { is: ReportsPage });
  element.can = can;
  document.body.appendChild(element);
  await flushPromises();
  return element;
}
const reports = (element) =>
  [...element.shadowRoot.querySelectorAll('[data-report]')].map((li) => li.dataset.report);

afterEach(clearBody);

describe('sf-reports-page', () => {
  it('lists both reports when the session allows model insights, and opens one in the app', async () => {
    const element = await render({ 'reports.segments': true, 'reports.model': true });
    expect(reports(element)).toEqual(['segment-performance', 'model-insights']);
    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);
    element.shadowRoot.querySelector('[data-report="model-insights"] a').click();
    expect(navigate.mock.calls[0][0].detail).toEqual({ path: '/reports/model-insights' });
  });

  it('hides model insights when reports.model is false', async () => {
    const element = await render({ 'reports.segments': true, 'reports.model': false });
    expect(reports(element)).toEqual(['segment-performance']);
  });
});
