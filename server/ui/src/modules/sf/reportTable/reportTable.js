import { LightningElement, api } from 'lwc';
import { downloadCsv } from 'sf/format';

/**
 * A table of report numbers: `columns` (`{ key, label, numeric?, sortable? }`) and `rows`
 * (`{ key, cells: [{ text, csv?, drill?, heat? }] }`, one cell per column). A cell with `drill`
 * (the key of the accounts behind it) is a button firing `drill` with `{ key, label }`; `heat`
 * (0–1) shades the cell. The Export button downloads the rows as a spreadsheet-safe CSV
 * (`csv` when given, else the text). Sortable headers fire `sort` with `{ key }`; the parent sorts.
 */
export default class ReportTable extends LightningElement {
  @api caption;
  @api fileName;
  @api columns = [];
  @api rows = [];
  @api sortKey;
  @api sortDirection;

  get headers() {
    return this.columns.map((column) => {
      const sorted = column.key === this.sortKey;
      return {
        ...column,
        className: column.numeric ? 'slds-text-align_right' : '',
        ariaSort: sorted ? (this.sortDirection === 'asc' ? 'ascending' : 'descending') : undefined,
        arrow: sorted ? (this.sortDirection === 'asc' ? '▲' : '▼') : '',
      };
    });
  }

  get shownRows() {
    return this.rows.map((row) => ({
      key: row.key,
      first: this.cellView(row.cells[0], 0, row),
      rest: row.cells.slice(1).map((cell, index) => this.cellView(cell, index + 1, row)),
    }));
  }

  cellView(cell, index, row) {
    const column = this.columns[index] || {};
    const heat = typeof cell.heat === 'number' ? cell.heat : undefined;
    return {
      key: `${row.key}:${column.key || index}`,
      text: cell.text,
      drill: cell.drill,
      drillLabel: `${column.label || ''} ${row.cells[0].text}`.trim(),
      className: `${column.numeric ? 'slds-text-align_right' : ''}${heat === undefined ? '' : ' sf-heat'}`,
      // The heat shade: brand blue at an opacity of the cell's share of the largest cell.
      style:
        heat === undefined ? '' : `background-color: rgba(1, 118, 211, ${(0.08 + 0.6 * heat).toFixed(3)})`,
    };
  }

  get isEmpty() {
    return this.rows.length === 0;
  }

  handleDrill(event) {
    const { drill, label } = event.currentTarget.dataset;
    this.dispatchEvent(new CustomEvent('drill', { detail: { key: drill, label } }));
  }

  handleSort(event) {
    this.dispatchEvent(new CustomEvent('sort', { detail: { key: event.currentTarget.dataset.key } }));
  }

  handleExport() {
    downloadCsv(this.fileName, [
      this.columns.map((column) => column.label),
      ...this.rows.map((row) => row.cells.map((cell) => (cell.csv === undefined ? cell.text : cell.csv))),
    ]);
  }
}
