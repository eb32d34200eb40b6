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
  it('lists both reports and the Models page when the session allows them, and opens one in the app', async () => {
    const element = await render({ 'reports.segments': true, 'reports.model': true, 'models.view': true });
    expect(reports(element)).toEqual(['segment-performance', 'model-insights', 'models']);
    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);
    element.shadowRoot.querySelector('[data-report="model-insights"] a').click();
    expect(navigate.mock.calls[0][0].detail).toEqual({ path: '/reports/model-insights' });
  });

  it('hides model insights when reports.model is false, and the Models page when models.view is', async () => {
    const element = await render({ 'reports.segments': true, 'reports.model': false, 'models.view': false });
    expect(reports(element)).toEqual(['segment-performance']);
  });

  it('opens the Models page at /models', async () => {
    const element = await render({ 'reports.segments': true, 'models.view': true });
    const navigate = jest.fn();
    element.addEventListener('navigate', navigate);
    element.shadowRoot.querySelector('[data-report="models"] a').click();
    expect(navigate.mock.calls[0][0].detail).toEqual({ path: '/models' });
  });
});
