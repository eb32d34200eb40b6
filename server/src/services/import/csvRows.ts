import { createReadStream } from 'node:fs';
import { CsvReader, type CsvRow } from './csvReader';

export type { CsvRow } from './csvReader';

const CHUNK_BYTES = 64 * 1024;

/**
 * Streams a CSV file as batches of rows (a batch per chunk read), with line numbers, reading
 * ahead at most one chunk while the consumer works on a batch. Blank lines are skipped but
 * counted, so line numbers match what an editor shows even with quoted line breaks.
 */
export async function* csvRowBatches(
  path: string,
  onBytesRead?: (bytes: number) => void,
): AsyncGenerator<CsvRow[]> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK_BYTES });
  const reader = new CsvReader();
  try {
    for await (const chunk of stream) {
      const rows = reader.push(chunk as string);
      onBytesRead?.(stream.bytesRead);
      if (rows.length > 0) yield rows;
    }
    const rows = reader.end();
    if (rows.length > 0) yield rows;
  } finally {
    stream.destroy();
  }
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
