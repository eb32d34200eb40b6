import {
  accountLink,
  accountSection,
  alertMessages,
  escapeMrkdwn,
  testMessage,
  truncate,
  type AlertAccount,
  type AlertBatch,
} from './messages';
import { webhookHint } from './webhookHint';

const account = (id: string, extra: Partial<AlertAccount> = {}): AlertAccount => ({
  accountId: id,
  name: `Account ${id}`,
  profileFit: 'Strong',
  buyingStage: 'Decision',
  intentScore: 77,
  topReason: 'Researched "sast" 3 times',
  ...extra,
});

const BATCH: AlertBatch = {
  segmentName: 'EMEA <Tier 1>',
  event: 'became_qualified',
  runDay: '2026-11-19',
  digest: false,
  publicUrl: 'https://app.example.com/',
};

describe('alert messages', () => {
  it('escapes &, < and > and nothing else', () => {
    expect(escapeMrkdwn('R&D <ops> "x" *y*')).toBe('R&amp;D &lt;ops&gt; "x" *y*');
  });

  it('truncates with an ellipsis, never inside an entity', () => {
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdefg', 6)).toBe('abcde…');
    expect(truncate('abc &amp; d', 7)).toBe('abc …');
  });

  it('links an account to the app, its id encoded, or not at all without a public URL', () => {
    expect(accountLink('https://app.example.com/', 'acct/1|x')).toBe(
      'https://app.example.com/accounts/acct%2F1%7Cx',
    );
    expect(accountLink(null, 'A1')).toBeNull();
    expect(accountSection(account('A1', { name: 'Smith & <Sons>' }), null)).toBe(
      '*Smith &amp; &lt;Sons&gt;*\nFit: Strong · Stage: Decision · Intent: 77\nTop reason: Researched "sast" 3 times',
    );
    expect(
      accountSection(
        account('A2', { name: null, profileFit: null, intentScore: null, topReason: null }),
        'https://a.example',
      ),
    ).toBe('*<https://a.example/accounts/A2|A2>*\nFit: – · Stage: Decision · Intent: –');
  });

  it('keeps a section within 3000 characters however long the reason', () => {
    const text = accountSection(account('A1', { topReason: '<'.repeat(4000) }), null);
    // Cut at 3000, less the part of an entity that would not fit.
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text.length).toBeGreaterThan(2995);
    expect(text.endsWith('&lt;…')).toBe(true);
  });

  it('makes one message of a small batch: header, context, one section per account, a fallback text', () => {
    expect(alertMessages(BATCH, [account('A1'), account('A2', { name: 'B&B' })])).toEqual([
      {
        text: 'EMEA <Tier 1>: 2 accounts became qualified: Account A1, B&amp;B',
        blocks: [
          {
            type: 'header',
            text: { type: 'plain_text', text: 'EMEA <Tier 1>: 2 accounts became qualified' },
          },
          {
            type: 'context',
            elements: [
              {
                type: 'mrkdwn',
                text: 'Segment *EMEA &lt;Tier 1&gt;* · became qualified · scores of 2026-11-19',
              },
            ],
          },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: '*<https://app.example.com/accounts/A1|Account A1>*\nFit: Strong · Stage: Decision · Intent: 77\nTop reason: Researched "sast" 3 times',
            },
          },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: '*<https://app.example.com/accounts/A2|B&amp;B>*\nFit: Strong · Stage: Decision · Intent: 77\nTop reason: Researched "sast" 3 times',
            },
          },
        ],
      },
    ]);
  });

  it('splits 97 accounts into 48 + 48 + 1, each message within 50 blocks, parts numbered', () => {
    const accounts = Array.from({ length: 97 }, (_, i) => account(`A${i}`));
    const messages = alertMessages({ ...BATCH, digest: true, event: 'stage_advanced' }, accounts);
    expect(messages.map((m) => m.blocks.length)).toEqual([50, 50, 3]);
    expect(messages.map((m) => (m.blocks[1] as { elements: { text: string }[] }).elements[0]!.text)).toEqual([
      'Segment *EMEA &lt;Tier 1&gt;* · reached Decision or Purchase · scores of 2026-11-19 · part 1 of 3',
      'Segment *EMEA &lt;Tier 1&gt;* · reached Decision or Purchase · scores of 2026-11-19 · part 2 of 3',
      'Segment *EMEA &lt;Tier 1&gt;* · reached Decision or Purchase · scores of 2026-11-19 · part 3 of 3',
    ]);
    expect(messages[0]!.blocks[0]).toEqual({
      type: 'header',
      text: {
        type: 'plain_text',
        text: 'Daily digest · EMEA <Tier 1>: 97 accounts reached Decision or Purchase',
      },
    });
  });

  it('keeps a header within 150 characters', () => {
    const [message] = alertMessages({ ...BATCH, segmentName: 'S'.repeat(200) }, [account('A1')]);
    const header = message!.blocks[0] as { text: { text: string } };
    expect(header.text.text).toHaveLength(150);
    expect(header.text.text.endsWith('…')).toBe(true);
  });

  it('writes a test message naming the segment and the event', () => {
    expect(testMessage('Hot & new', 'entered_segment', null)).toEqual({
      text: 'Signalfit test message · Hot & new',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Signalfit test message · Hot & new' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'Alerts of the segment *Hot &amp; new* (accounts that entered the segment) will be posted here.',
          },
        },
      ],
    });
  });
});

describe('webhookHint', () => {
  it.each([
    [
      'https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstabcd',
      'https://hooks.slack.com/services/T…/B…/…abcd',
    ],
    [
      'http://127.0.0.1:8080/services/TX/BY/0123456789abcdef?x=1',
      'http://127.0.0.1:8080/services/T…/B…/…cdef',
    ],
    ['https://chat.example.com/hooks/short', 'https://chat.example.com/hooks/…'],
    ['https://chat.example.com/onlysecretsegment1234', 'https://chat.example.com/…1234'],
  ])('masks %s as %s', (url, hint) => {
    expect(webhookHint(url)).toBe(hint);
  });
});
