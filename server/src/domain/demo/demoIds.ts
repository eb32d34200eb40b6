import { toSalesforceId18 } from '../salesforceId';
import { mix32, splitSeed } from './random';

/**
 * Salesforce-style 18-character ids for the demo market.
 *
 * The 15-character id is key prefix (3) + pod (2, from the seed, like a Salesforce instance) +
 * account index (5 base-62 digits) + sequence within the account and prefix (5 base-62 digits),
 * then the case checksum (salesforceId.ts). Ids are unique across the market without a global
 * counter, and account k's ids do not depend on how many accounts are generated.
 * Capacity: 62⁵ ≈ 916 million accounts, and as many records of one prefix per account.
 */

export const KEY_PREFIXES = {
  account: '001',
  contact: '003',
  lead: '00Q',
  opportunity: '006',
  /** Tasks: emails, calls, and the activity types that are not Salesforce records. */
  task: '00T',
  /** Events: meetings. */
  event: '00U',
} as const;
export type KeyPrefix = (typeof KEY_PREFIXES)[keyof typeof KEY_PREFIXES];

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const MAX_FIVE_DIGITS = 62 ** 5;

/** `value` as `digits` base-62 digits, most significant first. */
export function base62(value: number, digits: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < digits; i++) {
    out = BASE62.charAt(rest % 62) + out;
    rest = Math.floor(rest / 62);
  }
  if (rest !== 0) throw new Error(`${value} does not fit in ${digits} base-62 digits`);
  return out;
}

export function podForSeed(seed: number): string {
  const [low, high] = splitSeed(seed);
  return base62(mix32(low ^ mix32(high ^ 0x27d4eb2d)) % (62 * 62), 2);
}

/** Hands out the ids of one account's records. */
export class DemoIdAllocator {
  private readonly accountPart: string;
  private readonly sequences = new Map<KeyPrefix, number>();

  constructor(pod: string, accountIndex: number) {
    if (!Number.isInteger(accountIndex) || accountIndex < 0 || accountIndex >= MAX_FIVE_DIGITS) {
      throw new Error(`account index out of range: ${accountIndex}`);
    }
    this.accountPart = pod + base62(accountIndex, 5);
  }

  /** The account's own id (sequence 0 of prefix 001). */
  accountId(): string {
    return toSalesforceId18(KEY_PREFIXES.account + this.accountPart + '00000');
  }

  /** The next id of `prefix` in this account; sequences start at 1. */
  next(prefix: KeyPrefix): string {
    const sequence = (this.sequences.get(prefix) ?? 0) + 1;
    this.sequences.set(prefix, sequence);
    return toSalesforceId18(prefix + this.accountPart + base62(sequence, 5));
  }
}
