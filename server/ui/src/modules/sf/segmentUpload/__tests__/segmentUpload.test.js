import { createElement } from 'lwc';
import SegmentUpload from 'sf/segmentUpload';
import { answer, clearBody, flushPromises, stubFetch, textOf } from '../../../../../test/lwcTesting';

const UPLOADED = require('../../../../../test/data/segmentUpload.json');
const CLIENT = { call: (request) => request('access-token-1') };
const CSV = 'domain\nacme.example\nnosuch.example\nhttps://www.globex.example/about\n\ninitech.example\n';
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

async function render(props = {}) {
  const element = createElement('sf-segment-upload', { is: SegmentUpload });
  Object.assign(element, { client: CLIENT, ...props });
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

function blobText(blob) {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.readAsText(blob);
  });
}

/** Waits (up to half a second) until `ready()` is truthy. */
async function until(ready, triesLeft = 50) {
  if (ready() || triesLeft === 0) {
    return;
  }
  await new Promise((resolve) => setTimeout(resolve, 10));
  await flushPromises();
  await until(ready, triesLeft - 1);
}

async function chooseFile(element, name, text) {
  const input = $(element, '[data-id="file"]');
  const file = new File([text], name, { type: 'text/csv' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  input.dispatchEvent(new CustomEvent('change'));
  // FileReader answers on a later turn than the microtasks: wait until the file read shows.
  await until(() => $(element, '[data-id="file-summary"]').textContent);
}

function type(input, value) {
  input.value = value;
  input.dispatchEvent(new CustomEvent('input'));
}

afterEach(() => {
  clearBody();
  delete global.fetch;
});

describe('sf-segment-upload', () => {
  it('uploads the chosen CSV as text and shows the matched count and the unmatched rows', async () => {
    const fetch = stubFetch({ '/api/segments/upload': UPLOADED });
    const element = await render();
    await chooseFile(element, 'Webinar attendees.csv', CSV);
    expect($(element, '[data-id="name"]').value).toBe('Webinar attendees');
    expect(textOf($(element, '[data-id="file-summary"]'))).toBe(
      'Webinar attendees.csv: 5 lines with content',
    );
    type($(element, '[data-id="folder"]'), 'Events - FY27 Q1 - Webinars');
    $(element, 'form').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();

    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('/api/segments/upload?name=Webinar+attendees&folder=Events+-+FY27+Q1+-+Webinars');
    expect(init.method).toBe('POST');
    expect(init.headers['Content-Type']).toBe('text/csv');
    expect(init.body).toBe(CSV);
    expect(textOf($(element, '[data-id="matched"]'))).toBe(
      '3 of 5 rows matched an account. The segment now has 3 members.',
    );
    expect(textOf($(element, '[data-id="unmatched-heading"]'))).toBe('2 rows not matched');
    const rows = [...element.shadowRoot.querySelectorAll('[data-id="unmatched"] tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => textOf(td)),
    );
    expect(rows).toEqual([
      ['3', 'nosuch.example', 'no account with this domain'],
      ['5', '', 'empty domain'],
    ]);
    expect($(element, '[data-id="open-segment"]').getAttribute('href')).toBe('/segments/11');
  });

  it('adds to the list with append, and downloads the unmatched rows as a CSV', async () => {
    const fetch = stubFetch({ '/api/segments/upload': UPLOADED });
    const element = await render({ initialName: 'Webinar attendees' });
    await chooseFile(element, 'more.csv', CSV);
    expect($(element, '[data-id="name"]').value).toBe('Webinar attendees');
    const append = $(element, '[data-id="mode-append"]');
    append.checked = true;
    append.dispatchEvent(new CustomEvent('change'));
    $(element, 'form').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();
    expect(fetch.mock.calls[0][0]).toBe('/api/segments/upload?name=Webinar+attendees&append=true');

    let saved;
    URL.createObjectURL = jest.fn((blob) => {
      saved = blob;
      return 'blob:unmatched';
    });
    URL.revokeObjectURL = jest.fn();
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    $(element, '[data-id="download-unmatched"]').click();
    expect(click).toHaveBeenCalled();
    await expect(blobText(saved)).resolves.toBe(
      'line,value,reason\r\n3,nosuch.example,no account with this domain\r\n5,,empty domain\r\n',
    );
    click.mockRestore();
  });

  it('asks for a file first, and shows what the service refuses, keeping the form', async () => {
    stubFetch({
      '/api/segments/upload': () =>
        answer(400, {
          error: {
            code: 'validation_failed',
            message: 'line 1: the header needs a column account_id or domain',
          },
        }),
    });
    const element = await render();
    $(element, 'form').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();
    expect(textOf($(element, '[role="alert"]'))).toBe(
      'Choose a CSV file with a column account_id or domain.',
    );
    await chooseFile(element, 'bad.csv', 'company\nAcme\n');
    $(element, 'form').dispatchEvent(new CustomEvent('submit'));
    await flushPromises();
    expect(textOf($(element, '[role="alert"]'))).toBe(
      'line 1: the header needs a column account_id or domain',
    );
    expect($(element, '[data-id="result"]')).toBeNull();
    expect($(element, '[data-id="name"]').value).toBe('bad');
  });
});
