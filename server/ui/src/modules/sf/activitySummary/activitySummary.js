import { LightningElement, api } from 'lwc';
import { CLASS_LABELS, formatDate, formatNumber, sourceLabel } from 'sf/format';

/** The account's activity of the last 90 days by class and source, as a table. */
export default class ActivitySummary extends LightningElement {
  @api activity;

  get hasActivity() {
    return this.activity.some((c) => c.count > 0);
  }

  get classes() {
    return this.activity.map((c) => ({
      key: c.class,
      label: CLASS_LABELS[c.class] || c.class,
      count: formatNumber(c.count),
      last: c.lastAt ? formatDate(c.lastAt) : '—',
      sources: c.sources.map((s) => ({
        key: `${c.class}-${s.source}`,
        label: sourceLabel(s.source),
        count: formatNumber(s.count),
        last: formatDate(s.lastAt),
      })),
    }));
  }
}
