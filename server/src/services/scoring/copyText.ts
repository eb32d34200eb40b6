/**
 * Reads PostgreSQL's COPY text format: one row per line, fields separated by tabs, `\N` for
 * null, and backslash escapes (\t, \n, \r, \\ and the others of the format) inside values.
 */
const ESCAPES: Readonly<Record<string, string>> = {
  t: '\t',
  n: '\n',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
};

function unescapeField(field: string): string {
  return field.replace(/\\(.)/g, (_, char: string) => ESCAPES[char] ?? char);
}

/** The fields of one line: split at tabs, then `\N` and escapes resolved in place. */
function fieldsOf(line: string): Array<string | null> {
  const fields: Array<string | null> = line.split('\t');
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    if (field.indexOf('\\') === -1) continue;
    fields[i] = field === '\\N' ? null : unescapeField(field);
  }
  return fields;
}

/** Calls `onRow` with the fields of every row of the COPY output, in order. */
export async function forEachCopyRow(
  chunks: AsyncIterable<Uint8Array>,
  onRow: (fields: Array<string | null>) => void,
): Promise<number> {
  const decoder = new TextDecoder();
  let carry = '';
  let rows = 0;
  const take = (text: string) => {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      onRow(fieldsOf(text.slice(start, end)));
      rows++;
      start = end + 1;
    }
    return start === 0 ? text : text.slice(start);
  };
  for await (const chunk of chunks) carry = take(carry + decoder.decode(chunk, { stream: true }));
  carry = take(carry + decoder.decode());
  if (carry !== '') {
    onRow(fieldsOf(carry));
    rows++;
  }
  return rows;
}
