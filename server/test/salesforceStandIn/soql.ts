/**
 * The SOQL the stand-in understands: `SELECT f, Rel.f FROM Object [WHERE a op v AND …]
 * [ORDER BY f] [LIMIT n]`, with datetime, date, string, number, boolean and null literals.
 * Enough for what a sync asks; anything else is a MALFORMED_QUERY, as Salesforce would say.
 */
export interface Condition {
  field: string;
  op: '=' | '!=' | '<' | '<=' | '>' | '>=';
  value: string | number | boolean | null;
}

export interface ParsedQuery {
  fields: string[];
  sobject: string;
  where: Condition[];
  orderBy: string | null;
  limit: number | null;
}

export class SoqlError extends Error {}

export function parseSoql(soql: string): ParsedQuery {
  const m =
    /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+([\w.]+)(?:\s+ASC)?)?(?:\s+LIMIT\s+(\d+))?\s*$/is.exec(
      soql,
    );
  if (!m) throw new SoqlError(`unexpected token in query: ${soql.slice(0, 80)}`);
  const fields = m[1]!.split(',').map((f) => f.trim());
  if (fields.some((f) => !/^[A-Za-z][\w.]*$/.test(f))) throw new SoqlError('unexpected token in field list');
  const where = m[3] ? m[3].split(/\s+AND\s+/i).map(parseCondition) : [];
  return { fields, sobject: m[2]!, where, orderBy: m[4] ?? null, limit: m[5] ? Number(m[5]) : null };
}

function parseCondition(text: string): Condition {
  const m = /^\s*([\w.]+)\s*(=|!=|<=|>=|<|>)\s*(.+?)\s*$/.exec(text);
  if (!m) throw new SoqlError(`unexpected token: ${text}`);
  return { field: m[1]!, op: m[2] as Condition['op'], value: literal(m[3]!) };
}

function literal(text: string): Condition['value'] {
  if (/^'.*'$/.test(text)) return text.slice(1, -1).replace(/\\'/g, "'");
  if (/^null$/i.test(text)) return null;
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/.test(text))
    return new Date(text).toISOString();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  throw new SoqlError(`unexpected token: ${text}`);
}

export function matches(value: unknown, condition: Condition): boolean {
  const right = condition.value;
  const left = value === undefined ? null : value;
  if (condition.op === '=') return left === right;
  if (condition.op === '!=') return left !== right;
  if (left === null || right === null) return false;
  const a = typeof left === 'string' && typeof right === 'string' ? left : Number(left);
  const b = typeof left === 'string' && typeof right === 'string' ? right : Number(right);
  switch (condition.op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}
