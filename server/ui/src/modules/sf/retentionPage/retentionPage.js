import { LightningElement, api } from 'lwc';
import { fetchLastPurge, fetchRetention, saveRetention } from 'sf/retentionApi';
import { formatDate, formatNumber, plural } from 'sf/format';

/** The data classes of docs/retention.md, in the API's names, with the limits it takes. */
const CLASSES = [
  {
    name: 'activitiesDays',
    label: 'Activities',
    unit: 'days',
    max: 36500,
    help: 'Activities older than this are deleted; scores computed later no longer see them.',
  },
  {
    name: 'outboundDays',
    label: 'Outbound logs',
    unit: 'days',
    max: 36500,
    help: 'Outreach enrolment attempts and answers, and alert deliveries already sent.',
  },
  {
    name: 'scoreRuns',
    label: 'Score runs',
    unit: 'latest runs',
    max: 100000,
    help: 'Complete runs beyond the latest N, with their scores and segment membership.',
  },
  {
    name: 'auditDays',
    label: 'Audit entries',
    unit: 'days',
    max: 36500,
    help: 'Audit log entries older than this.',
  },
];

/** `{ [class]: { keep, value } }` of the API's settings (null keeps the class for ever). */
function formOf(retention) {
  return Object.fromEntries(
    CLASSES.map(({ name }) => {
      const value = retention[name];
      return [
        name,
        { keep: value === null || value === undefined, value: value == null ? '' : String(value) },
      ];
    }),
  );
}

/**
 * The Admin's Retention tab (`can['retention.manage']`): how long each class of data is kept —
 * for ever (the default) or a number of days (score runs: the latest N) — saved with PUT
 * /api/retention, whose validation messages show under their field; and the daily job's last
 * purge with its rows deleted per table, read from the audit log when the role may read it.
 */
export default class RetentionPage extends LightningElement {
  @api client;
  /** Whether the session may read the audit log (`audit.view`), where the purges are recorded. */
  @api canViewAudit = false;

  form = formOf({});
  /** Messages per class (`{ [class]: text }`), from this page's checks or the API's `details`. */
  fieldErrors = {};
  loading = true;
  saving = false;
  error;
  notice;
  lastPurge;

  connectedCallback() {
    this.load();
  }

  async load() {
    this.error = undefined;
    try {
      const { retention } = await this.client.call((token) => fetchRetention(token));
      this.form = formOf(retention);
    } catch (error) {
      this.error = error.message;
    }
    this.loading = false;
    if (this.canViewAudit) {
      try {
        this.lastPurge = await this.client.call((token) => fetchLastPurge(token));
      } catch {
        // The settings are the page; the last purge is a courtesy.
        this.lastPurge = undefined;
      }
    }
  }

  get loaded() {
    return !this.loading;
  }

  get rows() {
    return CLASSES.map((cls) => {
      const field = this.form[cls.name];
      const message = this.fieldErrors[cls.name];
      return {
        ...cls,
        keep: field.keep,
        value: field.value,
        disabled: field.keep || this.saving,
        keepId: `keep-${cls.name}`,
        valueId: `value-${cls.name}`,
        errorId: `error-${cls.name}`,
        valueLabel: cls.unit === 'days' ? `${cls.label}: days kept` : `${cls.label}: latest runs kept`,
        message,
        elementClass: `slds-form-element${message ? ' slds-has-error' : ''}`,
      };
    });
  }

  get hasLastPurge() {
    return !!this.lastPurge;
  }
  get noPurgeYet() {
    return this.canViewAudit && this.loaded && this.lastPurge === null;
  }
  get lastPurgeSummary() {
    const purge = this.lastPurge;
    if (!purge) {
      return '';
    }
    const total = Object.values(purge.counts).reduce((sum, n) => sum + n, 0);
    return `${formatDate(purge.at)}: ${plural(total, 'row', 'rows')} deleted.`;
  }
  get lastPurgeCounts() {
    const purge = this.lastPurge;
    return purge
      ? Object.entries(purge.counts)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([table, rows]) => ({ table, rows: formatNumber(rows) }))
      : [];
  }
  get hasLastPurgeCounts() {
    return this.lastPurgeCounts.length > 0;
  }

  handleKeep(event) {
    const name = event.target.dataset.name;
    const keep = event.target.checked;
    this.form = { ...this.form, [name]: { ...this.form[name], keep } };
    this.fieldErrors = { ...this.fieldErrors, [name]: undefined };
    this.notice = undefined;
  }

  handleValue(event) {
    const name = event.target.dataset.name;
    this.form = { ...this.form, [name]: { ...this.form[name], value: event.target.value } };
    this.fieldErrors = { ...this.fieldErrors, [name]: undefined };
    this.notice = undefined;
  }

  /** The PUT body, or null with `fieldErrors` set when a number is missing or not whole. */
  changes() {
    const body = {};
    const errors = {};
    for (const cls of CLASSES) {
      const field = this.form[cls.name];
      if (field.keep) {
        body[cls.name] = null;
        continue;
      }
      const text = field.value.trim();
      if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > cls.max) {
        errors[cls.name] = `Give a whole number from 1 to ${formatNumber(cls.max)}, or keep for ever.`;
        continue;
      }
      body[cls.name] = Number(text);
    }
    this.fieldErrors = errors;
    return Object.keys(errors).length ? null : body;
  }

  async handleSave(event) {
    event.preventDefault();
    this.error = undefined;
    this.notice = undefined;
    const body = this.changes();
    if (!body) {
      this.error = 'Some values cannot be saved: see below.';
      return;
    }
    this.saving = true;
    try {
      const { retention } = await this.client.call((token) => saveRetention(body, token));
      this.form = formOf(retention);
      this.notice = 'Saved. The daily job applies these settings at its next run.';
    } catch (error) {
      this.fieldErrors = this.apiFieldErrors(error.details);
      this.error = error.message;
    }
    this.saving = false;
  }

  /** The API's `details` (`[{ path, message }]`) as messages per class. */
  apiFieldErrors(details) {
    const errors = {};
    for (const issue of Array.isArray(details) ? details : []) {
      const name = issue.path && issue.path[0];
      if (CLASSES.some((cls) => cls.name === name)) {
        errors[name] = issue.message;
      }
    }
    return errors;
  }
}
