import {
  formatDate,
  formatNumber,
  formatPercent,
  formatUsd,
  plural,
  safeCsvText,
  sourceLabel,
  spreadsheetSafe,
  typeLabel,
  CLASS_LABELS,
} from 'sf/format';

describe('sf/format', () => {
  it('shows a day of the API (YYYY-MM-DD) as that UTC day', () => {
    expect(formatDate('2026-11-19')).toBe('Nov 19, 2026');
  });

  it('shows an instant as its UTC day, whatever the browser time zone', () => {
    expect(formatDate('2026-11-17T23:30:00.000Z')).toBe('Nov 17, 2026');
    expect(formatDate('2026-09-01T09:30:00.000Z')).toBe('Sep 1, 2026');
  });

  it('shows nothing for a missing or unreadable date', () => {
    expect(formatDate(null)).toBe('');
    expect(formatDate('')).toBe('');
    expect(formatDate('not a date')).toBe('');
  });

  it('groups thousands and shows nothing for a missing number', () => {
    expect(formatNumber(1200)).toBe('1,200');
    expect(formatNumber(1185170)).toBe('1,185,170');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(null)).toBe('');
    expect(formatNumber('12')).toBe('');
  });

  it('counts with the right noun', () => {
    expect(plural(1, 'person', 'people')).toBe('1 person');
    expect(plural(2, 'person', 'people')).toBe('2 people');
    expect(plural(0, 'person', 'people')).toBe('0 people');
    expect(plural(1500, 'account', 'accounts')).toBe('1,500 accounts');
  });

  it('names sources, activity types and classes in words, and shows an unknown code as it is', () => {
    expect(sourceLabel('bombora')).toBe('Bombora');
    expect(sourceLabel('first_party')).toBe('Our website search');
    expect(sourceLabel('a_new_source')).toBe('a_new_source');
    expect(typeLabel('email_open')).toBe('Opened an email');
    expect(typeLabel('sales_meeting')).toBe('Sales meeting');
    expect(typeLabel('a_new_type')).toBe('a_new_type');
    expect(CLASS_LABELS.known_engagement).toBe('Engagement of known people');
  });

  it('makes CSV cells spreadsheet-safe as the service does: a formula start gets an apostrophe', () => {
    expect(spreadsheetSafe('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(spreadsheetSafe('+1 555')).toBe("'+1 555");
    expect(spreadsheetSafe('@home')).toBe("'@home");
    expect(spreadsheetSafe('\tTab')).toBe("'\tTab");
    expect(spreadsheetSafe('\rCR')).toBe("'\rCR");
    expect(spreadsheetSafe('-5')).toBe('-5');
    expect(spreadsheetSafe(-12.5)).toBe('-12.5');
    expect(spreadsheetSafe(null)).toBe('');
    expect(spreadsheetSafe('Acme, Inc.')).toBe('Acme, Inc.');
    expect(
      safeCsvText([
        ['name', 'change'],
        ['=SUM(A1)', -20],
        ['Acme, Inc.', 25],
      ]),
    ).toBe('name,change\r\n\'=SUM(A1),-20\r\n"Acme, Inc.",25\r\n');
  });

  it('shows fractions as percentages and amounts as whole dollars', () => {
    expect(formatPercent(0.25)).toBe('25%');
    expect(formatPercent(0.13333)).toBe('13.3%');
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(Infinity)).toBe('—');
    expect(formatUsd(150000)).toBe('$150,000');
    expect(formatUsd(0)).toBe('$0');
  });
});
