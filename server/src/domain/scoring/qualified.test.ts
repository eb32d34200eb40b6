import { BUYING_STAGES, FIT_BANDS, type BuyingStage, type FitBand } from '../vocabulary';
import fc from 'fast-check';
import { isQualified, qualifiedSince } from './qualified';

const fits: Array<FitBand | null> = [...FIT_BANDS, null];
const stages: Array<BuyingStage | null> = [...BUYING_STAGES, null];

describe('isQualified', () => {
  it.each([
    ['Strong', 'Purchase', true],
    ['Strong', 'Decision', true],
    ['Moderate', 'Purchase', true],
    ['Moderate', 'Decision', true],
    ['Strong', 'Consideration', false],
    ['Moderate', 'Awareness', false],
    ['Strong', 'Target', false],
    ['Weak', 'Purchase', false],
    ['Weak', 'Decision', false],
    [null, 'Purchase', false],
    ['Strong', null, false],
    [null, null, false],
  ] as const)('%s fit × %s stage → %s', (fit, stage, expected) => {
    expect(isQualified(fit, stage)).toBe(expected);
  });

  it('holds for exactly the 4 of the 24 combinations that are Moderate/Strong × Decision/Purchase', () => {
    const qualified = fits.flatMap((fit) =>
      stages.filter((stage) => isQualified(fit, stage)).map((stage) => `${fit}/${stage}`),
    );
    expect(qualified.sort()).toEqual([
      'Moderate/Decision',
      'Moderate/Purchase',
      'Strong/Decision',
      'Strong/Purchase',
    ]);
  });

  it('property: qualified ⇔ fit ∈ {Moderate, Strong} ∧ stage ∈ {Decision, Purchase}', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fits), fc.constantFrom(...stages), (fit, stage) => {
        const expected =
          (fit === 'Moderate' || fit === 'Strong') && (stage === 'Decision' || stage === 'Purchase');
        return isQualified(fit, stage) === expected;
      }),
    );
  });
});

describe('qualifiedSince', () => {
  const today = '2026-11-01';

  it('is null when not qualified, whatever came before', () => {
    expect(qualifiedSince(false, null, today)).toBeNull();
    expect(qualifiedSince(false, { qualified: true, qualifiedSince: '2026-10-01' }, today)).toBeNull();
  });

  it('starts today on a first qualification', () => {
    expect(qualifiedSince(true, null, today)).toBe(today);
    expect(qualifiedSince(true, { qualified: false, qualifiedSince: null }, today)).toBe(today);
  });

  it('keeps the earlier date while the account stays qualified', () => {
    expect(qualifiedSince(true, { qualified: true, qualifiedSince: '2026-10-01' }, today)).toBe('2026-10-01');
    expect(qualifiedSince(true, { qualified: true, qualifiedSince: today }, today)).toBe(today);
  });

  it('starts again after a lapse', () => {
    // The previous run was not qualified: an old date left in it does not count.
    expect(qualifiedSince(true, { qualified: false, qualifiedSince: '2026-09-15' }, today)).toBe(today);
  });

  it('never dates a qualification after the run (a re-run as of an earlier day)', () => {
    expect(qualifiedSince(true, { qualified: true, qualifiedSince: '2026-11-20' }, today)).toBe(today);
    expect(qualifiedSince(true, { qualified: true, qualifiedSince: null }, today)).toBe(today);
  });

  const day = fc
    .integer({ min: 0, max: 3650 })
    .map((d) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
  const previous = fc.option(fc.record({ qualified: fc.boolean(), qualifiedSince: fc.option(day) }));

  it('property: null exactly when not qualified; otherwise the earlier date only while qualified', () => {
    fc.assert(
      fc.property(fc.boolean(), previous, day, (now, prev, asOf) => {
        const since = qualifiedSince(now, prev, asOf);
        if (!now) return since === null;
        const carried =
          prev !== null && prev.qualified && prev.qualifiedSince !== null && prev.qualifiedSince <= asOf;
        return since === (carried ? prev.qualifiedSince : asOf) && since !== null && since <= asOf;
      }),
    );
  });

  it('property: over a sequence of runs, the date is the first day of the current qualified streak', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }), (runs) => {
        let state: { qualified: boolean; qualifiedSince: string | null } | null = null;
        let streakStart: string | null = null;
        runs.forEach((qualified, k) => {
          const asOf = new Date(Date.UTC(2026, 0, 1 + 7 * k)).toISOString().slice(0, 10);
          if (!qualified) streakStart = null;
          else if (streakStart === null) streakStart = asOf;
          state = { qualified, qualifiedSince: qualifiedSince(qualified, state, asOf) };
          expect(state.qualifiedSince).toBe(streakStart);
        });
      }),
    );
  });
});
