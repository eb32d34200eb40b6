import { createElement } from 'lwc';
import ReportTable from 'sf/reportTable';
import { clearBody, flushPromises, textOf } from '../../../../../test/lwcTesting';

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

function blobText(blob) {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.readAsText(blob);
  });
}

const COLUMNS = [
  { key: 'from', label: 'From' },
  { key: 'Target', label: 'Target', numeric: true, sortable: true },
  { key: 'Decision', label: 'Decision', numeric: true },
];
const ROWS = [
  {
    key: 'Target',
    cells: [
      { text: 'Target' },
      { text: '2', csv: 2, drill: 'Target.Target', heat: 1 },
      { text: '0', csv: 0, heat: 0 },
    ],
  },
  { key: '=Evil', cells: [{ text: '=Evil' }, { text: '1,200', csv: 1200 }, { text: '▲ 25.0%', csv: 25 }] },
];

async function render(props) {
  const element = createElement('sf-report-table', { is: ReportTable });
  Object.assign(element, {
    caption: 'Movement',
    fileName: 'movement.csv',
    columns: COLUMNS,
    rows: ROWS,
    ...props,
  });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

afterEach(clearBody);

describe('sf-report-table', () => {
  it('shows the rows with a row header, numbers right-aligned and heat shades', async () => {
    const element = await render();
    expect($$(element, 'tbody tr').map((tr) => [...tr.children].map((cell) => textOf(cell)))).toEqual([
      ['Target', '2', '0'],
      ['=Evil', '1,200', '▲ 25.0%'],
    ]);
    const heat = $$(element, 'tbody tr')[0].children;
    expect(heat[1].getAttribute('style')).toContain('rgba(1, 118, 211, 0.680)');
    expect(heat[2].getAttribute('style')).toContain('rgba(1, 118, 211, 0.080)');
    expect(heat[1].className).toContain('slds-text-align_right');
  });

  it('fires drill with the key and a label of the number', async () => {
    const element = await render();
    const drill = jest.fn();
    element.addEventListener('drill', drill);
    $(element, 'button[data-drill="Target.Target"]').click();
    expect(drill.mock.calls[0][0].detail).toEqual({ key: 'Target.Target', label: 'Target Target' });
  });

  it('fires sort from a sortable header and marks the sorted column', async () => {
    const element = await render({ sortKey: 'Target', sortDirection: 'asc' });
    const sort = jest.fn();
    element.addEventListener('sort', sort);
    const header = $(element, 'th[aria-sort]');
    expect(header.getAttribute('aria-sort')).toBe('ascending');
    expect(textOf(header)).toBe('Target ▲');
    header.querySelector('button').click();
    expect(sort.mock.calls[0][0].detail).toEqual({ key: 'Target' });
  });

  it('exports the rows as a spreadsheet-safe CSV of the raw values', async () => {
    const element = await render();
    let saved;
    URL.createObjectURL = jest.fn((blob) => {
      saved = blob;
      return 'blob:table';
    });
    URL.revokeObjectURL = jest.fn();
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function record() {
      expect(this.download).toBe('movement.csv');
    });
    $(element, '[data-id="export"]').click();
    expect(click).toHaveBeenCalledTimes(1);
    await expect(blobText(saved)).resolves.toBe("From,Target,Decision\r\nTarget,2,0\r\n'=Evil,1200,25\r\n");
    click.mockRestore();
  });
});
