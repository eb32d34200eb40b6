import Papa from 'papaparse';
import { Inbox } from './inbox';
import { OnDemandFile } from './onDemandFile';

export interface CsvRow {
  /** The line of the file the row starts on (the header is line 1). */
  line: number;
  cells: string[];
  /** Why the parser could not read the row cleanly (broken quoting), else null. */
  problem: string | null;
}

/**
 * Streams a CSV file as batches of rows, with line numbers, reading ahead only while the
 * consumer keeps up (the parser pauses until the previous batch is taken). Blank lines are
 * skipped but counted, so line numbers match what an editor shows even with quoted newlines.
 */
export async function* csvRowBatches(
  path: string,
  onBytesRead?: (bytes: number) => void,
): AsyncGenerator<CsvRow[]> {
  const stream = new OnDemandFile(path);
  const inbox = new Inbox<CsvRow[] | Error | 'end'>();
  let parser: Papa.Parser | null = null;
  let nextLine = 1;
  let delivered = false; // whether papaparse handed out rows from the latest chunk

  Papa.parse<string[]>(stream as unknown as Papa.LocalFile, {
    delimiter: ',',
    skipEmptyLines: false,
    chunk(results, chunkParser) {
      parser = chunkParser;
      const problems = new Map<number, string>();
      for (const error of results.errors) {
        if (error.row !== undefined && !problems.has(error.row)) problems.set(error.row, error.message);
      }
      const rows: CsvRow[] = [];
      results.data.forEach((cells, index) => {
        const line = nextLine;
        nextLine += 1 + countNewlines(cells);
        if (cells.length === 1 && cells[0] === '' && !problems.has(index)) return;
        rows.push({ line, cells, problem: problems.get(index) ?? null });
      });
      inbox.push(rows);
      delivered = true;
    },
    complete: () => inbox.push('end'),
    error: (error: Error) => inbox.push(error),
  });
  // Backpressure: the file gives one chunk per resume(), and the next is asked for only when the
  // consumer takes the rows of this one. (Papaparse's own pause leaves its input flowing.) This
  // listener runs after papaparse's: a chunk that completed no row asks for the next at once.
  stream.on('data', () => {
    if (!delivered) stream.resume();
    delivered = false;
  });
  stream.resume();

  try {
    for (;;) {
      const item = await inbox.take();
      if (item === 'end') return;
      if (item instanceof Error) throw item;
      onBytesRead?.(stream.bytesRead);
      yield item;
      stream.resume();
    }
  } finally {
    (parser as Papa.Parser | null)?.abort();
    stream.destroy();
  }
}

function countNewlines(cells: string[]): number {
  let count = 0;
  for (const cell of cells) {
    for (let at = cell.indexOf('\n'); at !== -1; at = cell.indexOf('\n', at + 1)) count += 1;
  }
  return count;
}

/**
 * One value as a field of COPY's CSV format: null unquoted and empty (NULL), any other value
 * quoted when it holds a delimiter, a quote or a line break, or is empty.
 */
export function copyCsvField(value: string | null): string {
  if (value === null) return '';
  return value === '' || needsQuotes(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Whether the value holds a quote, a comma or a line break (a loop: cheaper than a regex call on short values). */
function needsQuotes(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 34 || code === 44 || code === 10 || code === 13) return true;
  }
  return false;
}
