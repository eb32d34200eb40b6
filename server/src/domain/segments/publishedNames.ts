/**
 * The text Salesforce shows in an account's `Signalfit_Segments__c`: the names of the published
 * segments it belongs to, sorted without regard to case (names differing only in case by their
 * exact text), joined with `; `. A text longer than the field is cut so that it fits with a
 * final `…`, never in the middle of a UTF-16 surrogate pair and without a dangling separator.
 * No names give null: the write-back clears the field.
 */
export const SEGMENT_NAMES_SEPARATOR = '; ';
export const TRUNCATION_MARK = '…';

export function compareSegmentNames(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

export function publishedSegmentsText(names: readonly string[], maxLength: number): string | null {
  if (names.length === 0) return null;
  if (!Number.isInteger(maxLength) || maxLength < 1)
    throw new RangeError(`maxLength ${maxLength} is not a positive integer`);
  const text = [...names].sort(compareSegmentNames).join(SEGMENT_NAMES_SEPARATOR);
  if (text.length <= maxLength) return text;
  let end = maxLength - TRUNCATION_MARK.length;
  // A high surrogate at the cut would leave half a character.
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  const kept = text.slice(0, end).replace(/[;\s]+$/, '');
  return `${kept}${TRUNCATION_MARK}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
