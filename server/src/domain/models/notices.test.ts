import { noticeMessage, noticeText, reminderDue } from './notices';

const facts = {
  trainedAsOf: '2026-11-01',
  rolloutOn: '2026-11-15',
  candidate: { auc: 0.8123, identificationRate: 0.612 },
  active: { auc: 0.8, identificationRate: 0.6 },
};

describe('notice texts', () => {
  it('announces a candidate with its roll-out day and its figures against the active ones', () => {
    expect(noticeText('announce', facts)).toBe(
      'Model update: candidate trained on 2026-11-01 rolls out on 2026-11-15 (AUC 0.812 vs 0.800, identification 61.2% vs 60.0%) — approve, postpone or reject on the Models page',
    );
    expect(noticeText('reminder', { ...facts, active: null })).toBe(
      'Model update (reminder): candidate trained on 2026-11-01 rolls out on 2026-11-15 (AUC 0.812 vs –, identification 61.2% vs –) — approve, postpone or reject on the Models page',
    );
  });

  it('tells that a worse candidate was not rolled out', () => {
    expect(
      noticeText('worse', { ...facts, rolloutOn: null, candidate: { auc: 0.7, identificationRate: 0.5 } }),
    ).toBe(
      'Model update: candidate trained on 2026-11-01 not rolled out: worse than the active models (AUC 0.700 vs 0.800, identification 50.0% vs 60.0%); it is kept as rejected on the Models page',
    );
  });

  it('is a Slack message of one section', () => {
    const message = noticeMessage('announce', facts);
    expect(message.text).toBe(noticeText('announce', facts));
    expect(message.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: message.text } }]);
  });
});

describe('reminderDue', () => {
  it('is due every 6 days after the last notice, until the roll-out day', () => {
    expect(reminderDue('2026-11-01', '2026-11-06', '2026-11-15', 6)).toBe(false);
    expect(reminderDue('2026-11-01', '2026-11-07', '2026-11-15', 6)).toBe(true);
    expect(reminderDue('2026-11-07', '2026-11-13', '2026-11-15', 6)).toBe(true);
    expect(reminderDue('2026-11-07', '2026-11-15', '2026-11-15', 6)).toBe(false);
    expect(reminderDue('2026-11-07', '2026-11-15', null, 6)).toBe(true);
  });
});
