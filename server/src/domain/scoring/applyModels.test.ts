import { applyModels } from './applyModels';
import { percentileScores } from './bands';
import type { MarketFacts } from './facts';
import { accountFitLogits, distinctJobs, personFitLogits } from './fitLogits';
import { scoreMarket } from './scoreMarket';
import { DEFAULT_SCORING_SETTINGS } from './settings';
import { buildMarket } from './testing';
import { trainModels } from './trainModels';

const settings = DEFAULT_SCORING_SETTINGS;

/** The same day with only the accounts `keep` says (their people and windows with them). */
function subMarket(facts: MarketFacts, keep: (account: number) => boolean): MarketFacts {
  const kept = facts.accounts.map((_, i) => i).filter(keep);
  const newIndex = new Map(kept.map((old, i) => [old, i]));
  return {
    asOfMs: facts.asOfMs,
    accounts: kept.map((i) => facts.accounts[i]!),
    opportunities: kept.map((i) => facts.opportunities[i]!),
    windows: kept.map((i) => facts.windows[i]!),
    people: facts.people
      .filter((p) => newIndex.has(p.account))
      .map((p) => ({ ...p, account: newIndex.get(p.account)! })),
  };
}

describe('fit scores against the model’s training population', () => {
  const facts = buildMarket(200, 170017, 0.25).facts;
  const models = trainModels(facts, settings);

  it('the fit models carry the log-odds of everyone scored on the training day', () => {
    expect(models.profile).not.toBeNull();
    expect(models.contact).not.toBeNull();
    const profile = models.profile!.reference;
    const contact = models.contact!.reference;
    expect(profile.counts.reduce((a, b) => a + b, 0)).toBe(facts.accounts.length);
    expect(contact.counts.reduce((a, b) => a + b, 0)).toBe(facts.people.length);
    const sorted = (xs: Float64Array) => [...new Set(xs)].sort((a, b) => a - b);
    expect(Array.from(profile.values)).toEqual(sorted(accountFitLogits(facts, models.profile!).logits));
    expect(Array.from(contact.values)).toEqual(sorted(personFitLogits(facts, models.contact!).logits));
  });

  it('on the training day, the scores are the percentiles among the day’s population', () => {
    const scores = applyModels(facts, settings, models);
    const profile = percentileScores(accountFitLogits(facts, models.profile!).logits);
    const contact = percentileScores(personFitLogits(facts, models.contact!).logits);
    expect(scores.accounts.map((a) => a.profileScore)).toEqual(Array.from(profile));
    expect(scores.people.map((p) => p.profileScore)).toEqual(Array.from(contact));
    expect(scoreMarket(facts, settings)).toEqual(scores);
  });

  it('a later day scores each account and person as on the training day, whoever else is scored', () => {
    const full = applyModels(facts, settings, models);
    // Only the better half of the accounts: among themselves their percentiles would all move.
    const better = (i: number) => (full.accounts[i]!.profileScore as number) >= 50;
    const half = subMarket(facts, better);
    expect(half.accounts.length).toBeGreaterThan(20);
    expect(half.accounts.length).toBeLessThan(facts.accounts.length);
    const scored = applyModels(half, settings, models);
    const byId = new Map(full.accounts.map((a) => [a.accountId, a]));
    for (const account of scored.accounts) {
      const before = byId.get(account.accountId)!;
      expect([account.profileScore, account.profileFit]).toEqual([before.profileScore, before.profileFit]);
    }
    const people = new Map(full.people.map((p) => [p.contactId, p]));
    for (const person of scored.people)
      expect(person.profileScore).toBe(people.get(person.contactId)!.profileScore);
    // Among themselves they would have moved: the lowest of the better half would score 0.
    const amongThemselves = percentileScores(accountFitLogits(half, models.profile!).logits);
    expect(Math.min(...amongThemselves)).toBe(0);
    expect(Math.min(...scored.accounts.map((a) => a.profileScore as number))).toBeGreaterThanOrEqual(50);
  });
});

describe('distinctJobs', () => {
  it('numbers each distinct job once, null apart from the text "null"', () => {
    const person = (id: string, job_level: string | null, title: string | null) => ({
      id,
      account: 0,
      job: { job_level, job_function: 'IT', title },
    });
    const { jobs, jobOf } = distinctJobs([
      person('a', 'VP', null),
      person('b', 'VP', 'null'),
      person('c', 'VP', null),
      person('d', null, 'VP'),
      person('e', 'VP', 'null'),
    ]);
    expect(Array.from(jobOf)).toEqual([0, 1, 0, 2, 1]);
    expect(jobs.map((j) => j.title)).toEqual([null, 'null', 'VP']);
  });
});
