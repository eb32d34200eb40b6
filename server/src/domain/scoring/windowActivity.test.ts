import {
  emptyWindow,
  engagementEvents,
  RECORD,
  researchEvents,
  UNIT,
  urls28,
  type WindowActivity,
} from './windowActivity';

function window(
  lists: Partial<Pick<WindowActivity, 'urlList' | 'researchList' | 'engagementList'>>,
): WindowActivity {
  return { ...emptyWindow(), ...lists };
}

describe('the event lists of a window', () => {
  it('splits records by RECORD and fields by UNIT', () => {
    const w = window({
      urlList: ['https://acme.io/pricing', '/docs/cli?x=1'].join(RECORD),
      researchList: [`2${UNIT}bombora${UNIT}devsecops`, `27${UNIT}g2${UNIT}sast tools`].join(RECORD),
      engagementList: [`0${UNIT}form_fill${UNIT}003A1`, `13${UNIT}email_open${UNIT}003B2`].join(RECORD),
    });
    expect(urls28(w)).toEqual(['https://acme.io/pricing', '/docs/cli?x=1']);
    expect(researchEvents(w)).toEqual([
      { age: 2, source: 'bombora', keyword: 'devsecops' },
      { age: 27, source: 'g2', keyword: 'sast tools' },
    ]);
    expect(engagementEvents(w)).toEqual([
      { age: 0, type: 'form_fill', contactId: '003A1' },
      { age: 13, type: 'email_open', contactId: '003B2' },
    ]);
  });

  it('keeps commas, spaces and semicolons inside fields', () => {
    const w = window({ researchList: `5${UNIT}first_party${UNIT}zero trust, sase; ztna` });
    expect(researchEvents(w)).toEqual([{ age: 5, source: 'first_party', keyword: 'zero trust, sase; ztna' }]);
  });

  it('reads an empty or missing list, or no window, as no events', () => {
    expect(urls28(undefined)).toEqual([]);
    expect(researchEvents(undefined)).toEqual([]);
    expect(engagementEvents(window({ engagementList: '' }))).toEqual([]);
    expect(urls28(emptyWindow())).toEqual([]);
  });

  it('fills missing fields with empty text', () => {
    expect(researchEvents(window({ researchList: '3' }))).toEqual([{ age: 3, source: '', keyword: '' }]);
  });
});

describe('emptyWindow', () => {
  it('has no activity and no research age', () => {
    const w = emptyWindow();
    expect(w.lastResearchAge).toBeNull();
    expect(w.research91 + w.visits91 + w.engagement91 + w.reach28 + w.sales28).toBe(0);
    expect(emptyWindow()).not.toBe(w); // a fresh object each time
  });
});
