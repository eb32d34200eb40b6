import { marketShapeSchema, SELLER_KINDS, type MarketShape } from '../domain/demo';
import { AppError } from '../errors';
import { readJsonFile } from './jsonFile';

const KNOBS = `seller (${SELLER_KINDS.join(', ')}), buyingShare 0.1–10, cycleLength 0.25–4, noiseResearch 0–50, sizeMix 0.05–20, committeeEngagement 0–10`;

/** `signalfit demo --shape <file.json>`: the market's shape, or one line saying what, where and how to fix. */
export function readShapeFile(file: string): MarketShape {
  const parsed = marketShapeSchema.safeParse(readJsonFile(file));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`)
    .join('; ');
  throw new AppError(
    'bad_request',
    `${file} is not a market shape: ${problems} (a JSON object of any of: ${KNOBS}; see docs/command-line.md#market-shapes)`,
  );
}
