/**
 * Salesforce record ids.
 *
 * A record id has 15 case-sensitive characters (`[0-9A-Za-z]`); the 18-character form appends a
 * 3-character checksum that encodes the case of the first 15, so that the 18-character id stays
 * unique in systems that compare text case-insensitively (spreadsheets, some databases).
 *
 * Checksum: split the 15 characters into three chunks of 5. For chunk j, build a 5-bit number
 * whose bit i (i = 0 for the chunk's first character) is 1 when character i is an upper-case
 * letter `A–Z`; the j-th suffix character is that number (0–31) looked up in `A–Z0–5`.
 * Example: `00570000001ZwTi` → chunks `00570`, `00000`, `1ZwTi`; the first two have no upper-case
 * letter (0 → `A`), in the third `Z` (bit 1) and `T` (bit 3) give 2 + 8 = 10 → `K`, so the
 * 18-character id is `00570000001ZwTiAAK`.
 */

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID15 = /^[0-9A-Za-z]{15}$/;
const ID18 = /^[0-9A-Za-z]{15}[A-Z0-5]{3}$/;

function isUpperCaseLetter(code: number): boolean {
  return code >= 65 && code <= 90;
}

function isLetter(code: number): boolean {
  return isUpperCaseLetter(code) || (code >= 97 && code <= 122);
}

/** The 3-character case checksum of a 15-character id (no validation). */
function checksumOf(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      if (isUpperCaseLetter(id15.charCodeAt(chunk * 5 + i))) bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

/** The 18-character form of a 15-character id; throws when `id15` is not 15 alphanumerics. */
export function toSalesforceId18(id15: string): string {
  if (!ID15.test(id15)) throw new Error(`not a 15-character Salesforce id: ${JSON.stringify(id15)}`);
  return id15 + checksumOf(id15);
}

/**
 * True for a 15-character id, or an 18-character id whose suffix is the exact checksum of its
 * first 15 characters (a case-mangled 18-character id is not valid as is: normalize it first).
 */
export function isSalesforceId(id: string): boolean {
  if (ID15.test(id)) return true;
  return ID18.test(id) && checksumOf(id.slice(0, 15)) === id.slice(15);
}

/**
 * The canonical 18-character id, or null when `id` cannot be a Salesforce id.
 *
 * - 15 characters: the checksum is appended.
 * - 18 characters whose case was lost (upper- or lower-cased by a spreadsheet): the checksum
 *   (read case-insensitively) says which letters are upper case, and the original is restored.
 *   The suffix is rejected when it marks a digit as upper case.
 * Surrounding whitespace is ignored.
 */
export function normalizeSalesforceId(id: string): string | null {
  const trimmed = id.trim();
  if (ID15.test(trimmed)) return trimmed + checksumOf(trimmed);
  if (trimmed.length !== 18 || !/^[0-9A-Za-z]{18}$/.test(trimmed)) return null;

  const suffix = trimmed.slice(15).toUpperCase();
  let restored = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = CHECKSUM_ALPHABET.indexOf(suffix.charAt(chunk));
    if (bits < 0) return null;
    for (let i = 0; i < 5; i++) {
      const char = trimmed.charAt(chunk * 5 + i);
      const upper = (bits & (1 << i)) !== 0;
      if (upper && !isLetter(char.charCodeAt(0))) return null;
      restored += upper ? char.toUpperCase() : char.toLowerCase();
    }
  }
  return restored + suffix;
}
