/**
 * Country values as Salesforce holds them (free text such as "United States", "germany" or
 * "DE" unless State and Country Picklists are on) turned into ISO 3166 alpha-2 codes. The
 * names come from the runtime's own region names (ICU), so no list is kept here.
 */
const ALIASES: Record<string, string> = {
  usa: 'US',
  'u.s.': 'US',
  'u.s.a.': 'US',
  america: 'US',
  uk: 'GB',
  'great britain': 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'south korea': 'KR',
  korea: 'KR',
  russia: 'RU',
  'czech republic': 'CZ',
  holland: 'NL',
  uae: 'AE',
};

let byName: Map<string, string> | null = null;
const codes = new Set<string>();

function namesToCodes(): Map<string, string> {
  if (byName) return byName;
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  byName = new Map(Object.entries(ALIASES));
  for (const first of letters) {
    for (const second of letters) {
      const code = first + second;
      const name = names.of(code);
      if (!name || name === code) continue;
      byName.set(name.toLowerCase(), code);
      codes.add(code);
    }
  }
  return byName;
}

/** The alpha-2 code, or null when the value names no country this table knows. */
export function toCountryCode(value: string): string | null {
  const text = value.trim().toLowerCase().replace(/\s+/g, ' ');
  const byName = namesToCodes();
  // "UK" is a name here, not a code (GB is); other two letters must be a code ICU knows.
  if (ALIASES[text]) return ALIASES[text];
  if (/^[a-z]{2}$/.test(text)) return codes.has(text.toUpperCase()) ? text.toUpperCase() : null;
  return byName.get(text) ?? null;
}

/** Whether the text is an ISO 3166 alpha-2 code the runtime knows (upper case: `DE`, not `de` or `UK`). */
export function isCountryCode(code: string): boolean {
  namesToCodes();
  return codes.has(code);
}

/**
 * The English name Salesforce's Country field takes for an alpha-2 code ("DE" → "Germany"): a
 * name is valid both as free text and with State and Country Picklists on. A value that is not
 * a known code is returned as it is.
 */
export function toCountryName(code: string): string {
  const upper = code.trim().toUpperCase();
  namesToCodes();
  if (!codes.has(upper)) return code.trim();
  return new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }).of(upper) ?? upper;
}
