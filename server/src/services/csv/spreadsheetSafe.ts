import type { Options } from 'csv-stringify';

/**
 * CSV files people open in a spreadsheet must not run what a cell holds: Excel, LibreOffice and
 * Google Sheets take a cell starting with `=`, `+`, `-` or `@` (and, in some, a tab or carriage
 * return before one) as a formula, so an account named `=HYPERLINK(…)` would become a live link
 * or a command. OWASP's rule (docs/command-line.md "CSV files and spreadsheets"): such a cell gets a leading
 * single quote, which spreadsheets read as "this is text", and is quoted. The full-width forms
 * of the four signs count too (Apple Numbers folds them into the ASCII ones).
 *
 * A cell that is a plain number (`-5`, `+0.25`, `-1e3`) is left alone: no spreadsheet runs it,
 * and escaping it would turn a negative score or amount into text.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** A cell this module escaped: quoted, so the quote and the sign stay one cell's text. */
const ESCAPED = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** The cell as a spreadsheet shows it as text: a leading `'` before a formula sign, else unchanged. */
export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/**
 * csv-stringify options that apply the rule to every text cell; `cast` adds the casts of other
 * types (a string cast given there is applied first).
 */
export function spreadsheetSafeCsv(cast: Options['cast'] = {}): Options {
  const castString = cast.string;
  return {
    cast: {
      ...cast,
      string: (value, context) => {
        const text = castString ? castString(value, context) : value;
        return typeof text === 'string' ? spreadsheetSafe(text) : text;
      },
    },
    quoted_match: ESCAPED,
  };
}

/**
 * The same rule as a SQL expression over a text expression, for CSV the database writes itself
 * (COPY): PostgreSQL's regular expressions, same signs, same plain-number exception.
 */
export function spreadsheetSafeSql(expression: string): string {
  return (
    `(CASE WHEN ${expression} ~ ${sqlPattern(FORMULA_START)} AND ${expression} !~ ${sqlPattern(PLAIN_NUMBER)} ` +
    `THEN '''' || ${expression} ELSE ${expression} END)`
  );
}

/** A JavaScript pattern as a PostgreSQL string literal of the same regular expression. */
function sqlPattern(pattern: RegExp): string {
  const source = pattern.source
    .replace(/\(\?:/g, '(') // PostgreSQL's AREs do know (?:…), but plain groups read the same here
    .replace(/\\u([0-9A-F]{4})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return `E'${source.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
