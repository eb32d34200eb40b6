import { createProgress } from './progress';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, write: (text: string) => writes.push(text) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe('createProgress', () => {
  afterEach(() => jest.useRealTimers());

  it('stays silent when the output is not a terminal', () => {
    const { stream, writes } = fakeStream(false);
    const progress = createProgress(stream);
    progress.update('activities.csv', 50, 100, 'bytes');
    progress.done();
    expect(writes).toEqual([]);
  });

  it('draws the label, share, time left, count and rate on one line, then clears it', () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const { stream, writes } = fakeStream(true);
    const progress = createProgress(stream);
    progress.update('activities.csv', 0, 1000, 'bytes');
    jest.setSystemTime(new Date('2026-01-01T00:00:02Z'));
    progress.update('activities.csv', 250, 1000, 'bytes');
    expect(writes.at(-1)).toBe('\r\x1b[2Kactivities.csv   25%  ETA 6s  250 bytes  125 bytes/s');
    progress.done();
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('redraws at most every 100 ms, but always draws completion', () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const { stream, writes } = fakeStream(true);
    const progress = createProgress(stream);
    progress.update('generating', 1, 10, 'accounts');
    progress.update('generating', 2, 10, 'accounts');
    expect(writes).toHaveLength(1);
    progress.update('generating', 10, 10, 'accounts');
    expect(writes).toHaveLength(2);
    expect(writes.at(-1)).toContain('100%');
  });
});
