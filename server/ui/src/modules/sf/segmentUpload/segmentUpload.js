import { LightningElement, api } from 'lwc';
import { uploadSegmentList } from 'sf/segmentsApi';
import { csvText, formatNumber, plural } from 'sf/format';

/** A file's text (UTF-8), with FileReader: every browser the app supports has it. */
function readText(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}

/**
 * List upload: a CSV with a column `account_id` or `domain` (read in the browser as text) becomes
 * a list segment, replacing its list or adding to it. The answer shows how many rows matched and
 * every unmatched row with its line and reason, which can be downloaded as a CSV.
 */
export default class SegmentUpload extends LightningElement {
  @api client;
  /** A list segment's name to upload into again (from its page); empty for a new list. */
  @api initialName = '';

  name = '';
  folder = '';
  append = false;
  fileName;
  csv;
  uploading = false;
  error;
  result;

  connectedCallback() {
    this.name = this.initialName || '';
  }

  /** The file read, and its size in lines (the header included), for the user to check. */
  get fileSummary() {
    if (this.csv === undefined) {
      return '';
    }
    const lines = this.csv.split(/\r\n|\n|\r/).filter((line) => line.trim() !== '').length;
    return `${this.fileName}: ${plural(lines, 'line', 'lines')} with content`;
  }
  get uploadDisabled() {
    return this.uploading;
  }
  get replaceChecked() {
    return !this.append;
  }
  get matchedText() {
    if (!this.result) {
      return '';
    }
    const { rows, matched } = this.result;
    return `${formatNumber(matched)} of ${plural(rows, 'row', 'rows')} matched an account.`;
  }
  get membersText() {
    const { segment } = this.result;
    return segment.members == null
      ? ''
      : `The segment now has ${plural(segment.members, 'member', 'members')}.`;
  }
  get hasUnmatched() {
    return !!this.result && this.result.unmatched.length > 0;
  }
  get unmatchedHeading() {
    return `${plural(this.result.unmatched.length, 'row', 'rows')} not matched`;
  }
  get segmentHref() {
    return this.result ? `/segments/${encodeURIComponent(this.result.segment.id)}` : '';
  }
  get unmatchedRows() {
    return this.result.unmatched.map((row) => ({ ...row, key: `${row.line}` }));
  }

  handleInput(event) {
    this[event.target.dataset.name] = event.target.value;
  }

  handleMode(event) {
    this.append = event.target.value === 'append';
  }

  async handleFile(event) {
    const [file] = event.target.files;
    this.result = undefined;
    this.error = undefined;
    if (!file) {
      this.fileName = undefined;
      this.csv = undefined;
      return;
    }
    this.fileName = file.name;
    this.csv = await readText(file);
    if (!this.name) {
      // A new list is named after its file until the user names it.
      this.name = file.name.replace(/\.csv$/i, '');
    }
  }

  async handleUpload(event) {
    event.preventDefault();
    this.error = undefined;
    if (this.csv === undefined) {
      this.error = 'Choose a CSV file with a column account_id or domain.';
      return;
    }
    if (!this.name.trim()) {
      this.error = 'Give the list segment a name.';
      return;
    }
    this.uploading = true;
    try {
      this.result = await this.client.call((token) =>
        uploadSegmentList(
          { name: this.name.trim(), folder: this.folder.trim(), append: this.append, csv: this.csv },
          token,
        ),
      );
    } catch (error) {
      this.result = undefined;
      this.error = error.message;
    }
    this.uploading = false;
  }

  handleDownload() {
    const blob = new Blob(
      [
        csvText([
          ['line', 'value', 'reason'],
          ...this.result.unmatched.map((r) => [r.line, r.value, r.reason]),
        ]),
      ],
      { type: 'text/csv' },
    );
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `${this.result.segment.name}-unmatched.csv`;
    link.click();
    URL.revokeObjectURL(url);
  }

  handleOpen(event) {
    event.preventDefault();
    this.dispatchEvent(new CustomEvent('navigate', { detail: { path: this.segmentHref } }));
  }
}
