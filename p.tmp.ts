import { csvRowBatches, toCopyCsv } from './server/src/services/import/csvRows';
import { IMPORT_FORMATS } from './server/src/services/import/formats';
(async () => {
  const f = IMPORT_FORMATS.activities;
  let t = Date.now(); let n = 0; const all: string[][] = [];
  for await (const b of csvRowBatches('/tmp/m1/activities.csv')) { n += b.length; if (all.length < 300000) for (const r of b) all.push(r.cells); }
  console.log('csvRowBatches', Date.now() - t, n);
  const header = all[0]!; const recs = all.slice(1);
  t = Date.now(); const parsed: any[] = [];
  for (const rec of recs) { const cells: Record<string, string | undefined> = {}; for (let i = 0; i < header.length; i++) cells[header[i]!] = rec[i]; parsed.push(f.parseRow(cells)); }
  console.log('parseRow x300k', Date.now() - t);
})();
