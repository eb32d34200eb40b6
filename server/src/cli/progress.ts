/**
 * A one-line progress display for long commands. It draws only on a terminal: in a pipe or a
 * log file it stays silent, so output there is just the final summary.
 */
export interface Progress {
  update(label: string, done: number, total: number | null, unit: string): void;
  done(): void;
}

const REDRAW_MS = 100;

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let lastDraw = 0;
  let started = new Map<string, number>();
  let drawn = false;
  return {
    update(label, done, total, unit) {
      const now = Date.now();
      if (!started.has(label)) started.set(label, now);
      if (now - lastDraw < REDRAW_MS && (total === null || done < total)) return;
      lastDraw = now;
      const elapsed = (now - (started.get(label) ?? now)) / 1000;
      const rate = elapsed > 0 ? done / elapsed : 0;
      const parts = [label];
      if (total !== null && total > 0) {
        const share = Math.min(1, done / total);
        parts.push(`${(share * 100).toFixed(0).padStart(3)}%`);
        if (rate > 0 && share < 1)
          parts.push(`ETA ${formatSeconds(((1 - share) * elapsed) / Math.max(share, 1e-9))}`);
      }
      parts.push(`${done.toLocaleString('en-US')} ${unit}`);
      if (rate > 0) parts.push(`${Math.round(rate).toLocaleString('en-US')} ${unit}/s`);
      stream.write(`\r\x1b[2K${parts.join('  ')}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
      started = new Map();
    },
  };
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}
