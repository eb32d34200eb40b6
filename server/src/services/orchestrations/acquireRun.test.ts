import type { RowDecision } from '../../domain/orchestrations/types';
import { picksAfterTakeover } from './acquireRun';
import { providerRow } from './runTesting';

const pick = (providerId: string, accountId: string): RowDecision => ({
  row: providerRow({ providerId, companyDomain: `${accountId}.com` }),
  accountId,
  reason: null,
  why: '',
  rank: null,
});

describe('picksAfterTakeover', () => {
  it("counts a dead run's purchases against the cap of their accounts, keeping the first picks in order", () => {
    const picks = [pick('a1', 'acme'), pick('a2', 'acme'), pick('b1', 'beta'), pick('c1', 'gamma')];
    const { keep, cut } = picksAfterTakeover(
      picks,
      [{ accountId: 'acme' }, { accountId: 'beta' }, { accountId: 'beta' }, { accountId: null }],
      2,
    );
    expect(keep.map((p) => p.row.providerId)).toEqual(['a1', 'c1']);
    expect(cut.map((p) => p.row.providerId)).toEqual(['a2', 'b1']);
  });

  it('keeps every pick when nothing was taken over', () => {
    const picks = [pick('a1', 'acme'), pick('a2', 'acme')];
    expect(picksAfterTakeover(picks, [], 2)).toEqual({ keep: picks, cut: [] });
  });
});
