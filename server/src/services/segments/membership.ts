import type { SegmentKind } from '../../domain/segments/definition';
import type { Db } from '../../store/db';
import type { AccountListRow } from '../accounts/listAccounts';

/** One member as GET /api/accounts lists it. */
export type AccountListItem = AccountListRow;

export interface PreviewProps {
  kind?: SegmentKind;
  /** The filter language's JSON (checked here: a bad one is refused with `invalid_segment`). */
  definition: unknown;
  /** The segment being edited: a list segment previews its own list members. */
  segmentId?: number;
}

export interface PreviewResult {
  runId: number | null;
  asOf: string | null;
  count: number;
  /** The first 50 members, highest intent first. */
  members: AccountListItem[];
}

export interface SegmentMembersResult {
  runId: number | null;
  asOf: string | null;
  /** Sorted account ids. */
  accountIds: string[];
  /** True when the run had no recorded row for the segment and the current definition was evaluated. */
  evaluatedLive: boolean;
}

export interface AccountSegment {
  id: number;
  name: string;
  published: boolean;
}

const pending = (): never => {
  throw new Error('segment membership: not implemented yet');
};

export async function previewSegment(_db: Db, _props: PreviewProps): Promise<PreviewResult> {
  return pending();
}

export async function recordSegmentMembership(_db: Db, _segmentId: number, _runId?: number): Promise<number> {
  return pending();
}

export async function recordAllMemberships(_tx: Db, _runId: number): Promise<void> {
  return pending();
}

export async function refreshCurrentMemberships(_db: Db): Promise<void> {
  return pending();
}

export async function segmentMembers(
  _db: Db,
  _segmentId: number,
  _options: { asOf?: string } = {},
): Promise<SegmentMembersResult> {
  return pending();
}

export async function accountSegments(_db: Db, _accountId: string): Promise<AccountSegment[]> {
  return pending();
}
