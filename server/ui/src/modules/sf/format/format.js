/** Labels and dates as the dashboard shows them (English, dates in UTC like the scores). */
const DATE = new Intl.DateTimeFormat('en-US', {
  timeZone: 'UTC',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
});
const NUMBER = new Intl.NumberFormat('en-US');

export const CLASS_LABELS = Object.freeze({
  intent: 'Research (intent)',
  anonymous_engagement: 'Anonymous web visits',
  known_engagement: 'Engagement of known people',
  reach: 'Our sales and marketing reach',
});

const SOURCE_LABELS = Object.freeze({
  bombora: 'Bombora',
  first_party: 'Our website search',
  g2: 'G2',
  trustradius: 'TrustRadius',
  web: 'Website',
  map: 'Marketing automation',
  ads: 'Search ads',
  linkedin: 'LinkedIn',
  dsp: 'Display ads',
  crm: 'CRM',
  outreach: 'Outreach',
  unknown: 'Unknown source',
});

const TYPE_LABELS = Object.freeze({
  keyword_research: 'Keyword research',
  web_visit: 'Web visit',
  email_open: 'Opened an email',
  email_click: 'Clicked an email',
  form_fill: 'Filled a form',
  webinar: 'Attended a webinar',
  trade_show: 'Met at a trade show',
  field_event: 'Attended a field event',
  ad_click: 'Clicked an ad',
  sales_reply: 'Replied to sales',
  ad_impression: 'Saw an ad',
  email_sent: 'Was sent an email',
  sales_email: 'Sales email',
  sales_call: 'Sales call',
  sales_meeting: 'Sales meeting',
});

export function formatDate(iso) {
  if (!iso) {
    return '';
  }
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(date.getTime()) ? '' : DATE.format(date);
}

export function formatNumber(value) {
  return typeof value === 'number' ? NUMBER.format(value) : '';
}

export function sourceLabel(source) {
  return SOURCE_LABELS[source] || source;
}

export function typeLabel(type) {
  return TYPE_LABELS[type] || type;
}

export function plural(count, one, many) {
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

/** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(value) {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows (the first one the header) as the text of a CSV file. */
export function csvText(rows) {
  return `${rows.map((fields) => fields.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/**
 * Spreadsheets run a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return (or the
 * full-width signs) as a formula; the service's CSV files (services/csv/spreadsheetSafe.ts) give
 * such a cell a leading `'`, and so do the files the app writes. Plain numbers (`-5`) stay numbers.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function spreadsheetSafe(value) {
  const text = value === null || value === undefined ? '' : String(value);
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** Rows (the first one the header) as a CSV file safe to open in a spreadsheet. */
export function safeCsvText(rows) {
  return csvText(rows.map((fields) => fields.map(spreadsheetSafe)));
}

/** Offers the rows as a CSV download named `fileName`. */
export function downloadCsv(fileName, rows) {
  saveBlob(new Blob([safeCsvText(rows)], { type: 'text/csv' }), fileName);
}

/** Offers a Blob (e.g. a CSV the service sent) as a download named `fileName`. */
export function saveBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked a moment later: the browser reads the blob after the click has returned.
  // eslint-disable-next-line @lwc/lwc/no-async-operation
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const PERCENT = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });

/** A fraction (0.253) as a percentage ("25.3%"); nothing for a missing value. */
export function formatPercent(fraction) {
  return typeof fraction === 'number' && Number.isFinite(fraction) ? PERCENT.format(fraction) : '—';
}

/** US dollars, whole ("$12,500"). */
export function formatUsd(amount) {
  return typeof amount === 'number' ? USD.format(amount) : '';
}
