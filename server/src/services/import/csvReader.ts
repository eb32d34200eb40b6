/**
 * The import's CSV reader: RFC 4180 (comma, double quotes, `""` inside quotes, quoted line
 * breaks; `\n` or `\r\n` line ends), fed text in chunks, giving rows with the line they start on.
 *
 * It exists for one property a general CSV parser lacks: broken quoting costs one row, not the
 * rest of the file. A parser that meets a quote that never closes reads every following line
 * into one value (papaparse did: one rejected row for the rest of the file, read in a time that
 * grew faster than the file); one with a record size cap stops after the cap, but the rows it
 * swallowed are lost. Here a row may hold at most MAX_ROW_CHARS characters. A quoted value still
 * open at that point (or at the end of the file) is an unclosed quote: the row is reported at
 * the line it starts on, and reading starts again on the next line, so the rows after it are read as rows.
 * Each such restart re-reads at most MAX_ROW_CHARS, and memory holds at most one row.
 */

/** The most characters a row of an import file may hold (docs/command-line.md "Import"). */
export const MAX_ROW_CHARS = 65_536;

export interface CsvRow {
  /** The line of the file the row starts on (the header is line 1). */
  line: number;
  cells: string[];
  /** Why the row could not be read cleanly (broken quoting, too long), else null. */
  problem: string | null;
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;

/** A line of the file: its text without the line break, or null when it is longer than a row may be. */
interface Line {
  number: number;
  text: string | null;
}

/** A row that continues past the end of its first line (a quoted value holds a line break). */
interface OpenRow {
  start: number;
  /** The line the open quoted value starts on. */
  quoteLine: number;
  /** Its lines so far, to read again from the second when it turns out never to close. */
  lines: Line[];
  chars: number;
  cells: string[];
  /** The open quoted value so far. */
  value: string;
}

const formatCount = (n: number) => n.toLocaleString('en-US');

export class CsvReader {
  /** The current line so far (it has no line break yet). */
  private partial = '';
  /** Whether the current line passed MAX_ROW_CHARS: the rest of it is dropped. */
  private partialTooLong = false;
  private lineCount = 0;
  private open: OpenRow | null = null;
  private rows: CsvRow[] = [];
  /**
   * Lines waiting to be read, in order, from `next` on: the file's latest line, and before it
   * the lines of a row cut at an unclosed quote, read again.
   */
  private queue: Line[] = [];
  private next = 0;
  private readChars = 0;

  /**
   * The characters of the lines read into rows so far (each with its line break), lines read
   * again after a cut counted again: the reader's work, which an unclosed quote grows by at most
   * MAX_ROW_CHARS.
   */
  get charsRead(): number {
    return this.readChars;
  }

  /** Reads the next piece of the file; returns the rows it completes. */
  push(text: string): CsvRow[] {
    let at = 0;
    for (;;) {
      const lineBreak = text.indexOf('\n', at);
      if (lineBreak === -1) {
        this.extendPartial(text, at, text.length);
        break;
      }
      if (this.partial === '' && !this.partialTooLong && lineBreak - at <= MAX_ROW_CHARS) {
        this.endLine(text.slice(at, lineBreak));
      } else {
        this.extendPartial(text, at, lineBreak);
        this.endLine(this.partialTooLong ? null : this.partial);
      }
      this.partial = '';
      this.partialTooLong = false;
      at = lineBreak + 1;
    }
    return this.take();
  }

  /** The end of the file: returns the last rows (a last line without a line break, an open row cut). */
  end(): CsvRow[] {
    if (this.partial !== '' || this.partialTooLong) this.endLine(this.partialTooLong ? null : this.partial);
    this.partial = '';
    this.partialTooLong = false;
    while (this.open) {
      this.cutOpenRow(); // the file ends inside a quoted value
      this.readQueue();
    }
    return this.take();
  }

  private take(): CsvRow[] {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  private extendPartial(text: string, from: number, to: number): void {
    if (this.partialTooLong) return;
    if (this.partial.length + (to - from) > MAX_ROW_CHARS) {
      this.partial = '';
      this.partialTooLong = true;
    } else {
      this.partial += text.slice(from, to);
    }
  }

  private endLine(text: string | null): void {
    this.lineCount += 1;
    const stripped = text !== null && text.charCodeAt(text.length - 1) === CR ? text.slice(0, -1) : text;
    this.queue.push({ number: this.lineCount, text: stripped });
    this.readQueue();
  }

  private readQueue(): void {
    while (this.next < this.queue.length) this.read(this.queue[this.next++]!);
    this.queue = [];
    this.next = 0;
  }

  private read(line: Line): void {
    this.readChars += (line.text?.length ?? 0) + 1;
    const open = this.open;
    if (open) {
      open.lines.push(line);
      open.chars += (line.text?.length ?? MAX_ROW_CHARS) + 1;
      if (line.text === null || open.chars > MAX_ROW_CHARS) {
        this.cutOpenRow();
        return;
      }
      open.value += '\n';
      this.continueRow(open.start, line, open.cells, open.value, open.quoteLine);
      return;
    }
    const text = line.text;
    if (text === null) {
      this.rows.push({
        line: line.number,
        cells: [],
        problem: `the line is longer than ${formatCount(MAX_ROW_CHARS)} characters, the most a row may hold`,
      });
      return;
    }
    if (text === '') return; // blank lines are skipped (but counted)
    if (text.indexOf('"') === -1) {
      this.rows.push({ line: line.number, cells: text.split(','), problem: null });
      return;
    }
    this.continueRow(line.number, line, [], null, line.number);
  }

  /**
   * Reads the fields of `line` into `cells`. `value` is the quoted value the line continues, or
   * null when the line starts a field. Ends the row, or leaves it open when a quoted value runs
   * past the line.
   */
  private continueRow(
    start: number,
    line: Line,
    cells: string[],
    value: string | null,
    quoteLine: number,
  ): void {
    const text = line.text!;
    let at = 0;
    let inQuotes = value !== null;
    let current = value ?? '';
    for (;;) {
      if (inQuotes) {
        const quote = text.indexOf('"', at);
        if (quote === -1) {
          current += text.slice(at);
          this.keepOpen(start, line, cells, current, quoteLine);
          return;
        }
        if (text.charCodeAt(quote + 1) === QUOTE) {
          current += text.slice(at, quote + 1);
          at = quote + 2;
          continue;
        }
        current += text.slice(at, quote);
        inQuotes = false;
        at = quote + 1;
        if (at === text.length) {
          cells.push(current);
          return this.endRow(start, cells, null);
        }
        if (text.charCodeAt(at) !== COMMA) {
          cells.push(current + text.slice(at));
          return this.endRow(
            start,
            cells,
            `a quoted value has text after its closing quote on line ${line.number} ` +
              '(quote the whole value, and double each quote inside it: "")',
          );
        }
        cells.push(current);
        current = '';
        at += 1;
      } else if (text.charCodeAt(at) === QUOTE) {
        inQuotes = true;
        quoteLine = line.number;
        at += 1;
        continue;
      } else {
        const comma = text.indexOf(',', at);
        if (comma === -1) {
          cells.push(text.slice(at));
          return this.endRow(start, cells, null);
        }
        cells.push(text.slice(at, comma));
        at = comma + 1;
      }
      if (at === text.length) {
        cells.push(''); // the line ends with a comma: an empty last field
        return this.endRow(start, cells, null);
      }
    }
  }

  private keepOpen(start: number, line: Line, cells: string[], value: string, quoteLine: number): void {
    if (this.open) {
      this.open.value = value;
      this.open.quoteLine = quoteLine;
      return;
    }
    this.open = {
      start,
      quoteLine,
      lines: [line],
      chars: line.text!.length + 1,
      cells,
      value,
    };
  }

  private endRow(start: number, cells: string[], problem: string | null): void {
    this.open = null;
    this.rows.push({ line: start, cells, problem });
  }

  /**
   * The open row is longer than a row may be, or the file ended inside it: its quote never
   * closes. It is reported at its first line, and its other lines are read again as new lines.
   */
  private cutOpenRow(): void {
    const open = this.open!;
    this.open = null;
    const where = open.quoteLine === open.start ? 'on this line' : `on line ${open.quoteLine}`;
    const firstLineBreak = open.value.indexOf('\n');
    this.rows.push({
      line: open.start,
      // The values read so far; of the open one, what its first line holds.
      cells: [...open.cells, firstLineBreak === -1 ? open.value : open.value.slice(0, firstLineBreak)],
      problem:
        `the quote opened ${where} is never closed within ${formatCount(MAX_ROW_CHARS)} characters ` +
        '(close it, or double each quote inside a value: ""); reading went on at the next line',
    });
    this.queue = [...open.lines.slice(1), ...this.queue.slice(this.next)];
    this.next = 0;
  }
}
