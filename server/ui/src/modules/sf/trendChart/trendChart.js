import { LightningElement, api } from 'lwc';
import { formatDate, plural } from 'sf/format';

/** Keywords drawn; the rest are summed up in one line. */
const SHOWN_KEYWORDS = 5;
const BAR_WIDTH = 4;
const BAR_GAP = 1;
const CHART_HEIGHT = 28;

/**
 * The account's research of the last 30 days: one small bar chart per configured keyword (a bar
 * per day, all on one scale), with a text summary for screen readers.
 */
export default class TrendChart extends LightningElement {
  @api trend;

  get hasResearch() {
    return this.trend.keywords.length > 0;
  }

  get period() {
    return `${formatDate(this.trend.from)} – ${formatDate(this.trend.to)}`;
  }

  get viewBox() {
    return `0 0 ${this.days * (BAR_WIDTH + BAR_GAP)} ${CHART_HEIGHT}`;
  }

  get days() {
    const first = this.trend.keywords[0];
    return first ? first.daily.length : 30;
  }

  get rows() {
    const shown = this.trend.keywords.slice(0, SHOWN_KEYWORDS);
    const max = Math.max(1, ...shown.flatMap((k) => k.daily));
    return shown.map((keyword) => {
      const busiest = keyword.daily.indexOf(Math.max(...keyword.daily));
      return {
        keyword: keyword.keyword,
        total: plural(keyword.total, 'event', 'events'),
        label: `${keyword.keyword}: ${plural(keyword.total, 'research event', 'research events')} in 30 days, most on ${this.dayLabel(busiest)}`,
        bars: keyword.daily.map((count, index) => {
          const height = count === 0 ? 1 : Math.max(3, Math.round((count / max) * CHART_HEIGHT));
          return {
            key: index,
            x: index * (BAR_WIDTH + BAR_GAP),
            y: CHART_HEIGHT - height,
            width: BAR_WIDTH,
            height,
            className: count === 0 ? 'sf-bar sf-bar_empty' : 'sf-bar',
          };
        }),
      };
    });
  }

  get moreText() {
    const rest = this.trend.keywords.slice(SHOWN_KEYWORDS);
    if (rest.length === 0) {
      return '';
    }
    const events = rest.reduce((sum, k) => sum + k.total, 0);
    return `and ${plural(rest.length, 'more keyword', 'more keywords')} (${plural(events, 'event', 'events')})`;
  }

  dayLabel(index) {
    const from = Date.parse(`${this.trend.from}T00:00:00Z`);
    return formatDate(new Date(from + index * 86400000).toISOString());
  }
}
