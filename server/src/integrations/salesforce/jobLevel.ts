import type { JobLevel } from '../../domain/canonical';

/**
 * A standard org has no job-level field: the level is read from the title. Checked from the
 * most senior down, so "VP, Engineering Manager" is a VP.
 */
const RULES: [RegExp, JobLevel][] = [
  [/\b(chief|ceo|cto|cfo|cio|ciso|coo|cmo|cro|cpo|president|founder|co-founder|owner)\b/i, 'C-Level'],
  [/\b(vp|svp|evp|avp|vice[- ]president)\b/i, 'VP'],
  [/\b(director|head of)\b/i, 'Director'],
  [/\b(manager|lead|supervisor)\b/i, 'Manager'],
];

export function jobLevelFromTitle(title: string | undefined): JobLevel | null {
  if (!title || title.trim() === '') return null;
  for (const [pattern, level] of RULES) if (pattern.test(title)) return level;
  return 'Staff';
}
