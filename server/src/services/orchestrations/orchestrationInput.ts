import { z } from 'zod';
import { JOB_LEVELS } from '../../domain/canonical';
import type { OrchestrationDefinition } from '../../domain/orchestrations/types';
import {
  EMAIL_CONFIDENCES,
  ORCHESTRATION_GOALS,
  SALESFORCE_CREATE,
  TARGET_TYPES,
  WEEKDAYS,
} from '../../domain/orchestrations/vocabulary';
import { normalizeSalesforceId } from '../../domain/salesforceId';
import { bracketPath } from '../../domain/segments/definition';
import { ENGAGEMENT_GRADES, FIT_BANDS } from '../../domain/vocabulary';
import { AppError } from '../../errors';
import { toCountryCode } from '../../integrations/salesforce/countries';

/**
 * The definition a person writes for an orchestration: the file of `orchestrations create --file`
 * (o.json) and the body of POST /api/orchestrations, and the changes of PATCH. Every object is
 * strict (an unknown key is refused, naming the known ones); a refusal names the first problem
 * by its bracket path, e.g. `filters.titles[1].levels[0]`.
 */

/** A strict object whose unknown keys are refused with the keys it knows. */
function strict<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key ${issue.keys.map((key) => `"${key}"`).join(', ')} (known: ${known})`
        : undefined,
  });
}

/** One of a fixed list, named in the refusal. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, {
    error: (issue) =>
      issue.input === undefined
        ? `missing: give ${what} (${values.join(', ')})`
        : `${JSON.stringify(issue.input)} is not ${what}: use one of ${values.join(', ')}`,
  });
}

/** A non-empty list (when given): an empty one would refuse every row, so it is left out instead. */
const listOf = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item).min(1, `an empty list of ${what} matches nothing: leave the key out to accept any`);

const word = z.string().trim().min(1, 'a word is not empty').max(200, 'a word is at most 200 characters');

/** A segment or Outreach id: a positive integer or a non-empty string. */
const reference = (what: string) =>
  z.union(
    [z.number().int().positive('a numeric id is positive'), z.string().trim().min(1, `empty: give ${what}`)],
    { error: `give ${what} as a positive integer or a non-empty string` },
  );

export const orchestrationName = z
  .string()
  .trim()
  .min(1, 'an orchestration needs a name')
  .max(120, 'an orchestration name is at most 120 characters')
  .refine((name) => !/^\d+$/.test(name), 'a name of digits only would read as an id: add a word')
  .refine((name) => !/\p{Cc}/u.test(name), 'a name holds no control characters (line breaks, tabs)');

/** Two-letter region codes the runtime knows that are groupings or placeholders, not countries. */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ', 'XA', 'XB']);

/** ISO 3166-1 alpha-2, any case in, upper case out; a code the runtime does not know is refused. */
const country = z.string().transform((text, context) => {
  const code = /^[A-Za-z]{2}$/.test(text.trim()) ? text.trim().toUpperCase() : null;
  if (code !== null && NOT_COUNTRIES.has(code)) {
    context.addIssue({ code: 'custom', message: `${code} is not a country: list the countries one by one` });
    return z.NEVER;
  }
  if (code !== null && toCountryCode(code) === code) return code;
  const known = toCountryCode(text);
  context.addIssue({
    code: 'custom',
    message: `${JSON.stringify(text)} is not an ISO 3166-1 alpha-2 country code${known ? `: did you mean ${known}?` : ' (e.g. US, DE)'}`,
  });
  return z.NEVER;
});

/** A campaign id: 15 or 18 characters starting 701 (Campaign's key prefix), kept in the 18-character form. */
const campaignId = z.string().transform((text, context) => {
  const id = normalizeSalesforceId(text);
  if (id !== null && id.startsWith('701')) return id;
  context.addIssue({
    code: 'custom',
    message: `${JSON.stringify(text)} is not a Salesforce campaign id (15 or 18 characters starting 701, from the campaign's URL)`,
  });
  return z.NEVER;
});

const target = z.discriminatedUnion(
  'type',
  [
    strict({
      type: z.literal('salesforce_campaign'),
      campaignId,
      create: oneOf(SALESFORCE_CREATE, 'what to create'),
    }),
    strict({
      type: z.literal('outreach_sequence'),
      sequenceId: reference('the sequence id').transform(String),
      mailboxId: reference('the mailbox id').transform(String),
    }),
    strict({ type: z.literal('csv') }),
  ],
  {
    error: (issue) =>
      issue.input === undefined ? undefined : `unknown target type: use one of ${TARGET_TYPES.join(', ')}`,
  },
);

const titleEntry = strict({
  levels: listOf(oneOf(JOB_LEVELS, 'a job level'), 'levels').optional(),
  functions: listOf(word, 'functions').optional(),
  include: z.array(word).optional(),
  exclude: z.array(word).optional(),
}).refine((entry) => Object.values(entry).some((value) => value !== undefined), {
  message: 'a title entry sets at least one of levels, functions, include, exclude',
});

const filters = strict({
  usePersonaMap: z.boolean().optional(),
  titles: z.array(titleEntry).max(50, 'at most 50 title entries').optional(),
  geography: strict({
    include: z.array(country).optional(),
    exclude: z.array(country).optional(),
  }).optional(),
  prioritizeVisitedCountries: z.boolean().optional(),
  minEmailConfidence: oneOf(EMAIL_CONFIDENCES, 'an email confidence').optional(),
  maxPerAccount: z
    .number()
    .int('a whole number of people')
    .min(1, 'at least 1 person per account')
    .max(100, 'at most 100 people per account')
    .optional(),
  allowRestrictedRegions: z.boolean().optional(),
});

const audience = strict({
  personas: z.array(word).optional(),
  grades: z.array(oneOf(ENGAGEMENT_GRADES, 'an engagement grade')).optional(),
  fits: z.array(oneOf(FIT_BANDS, 'a fit')).optional(),
  removeLeavers: z.boolean().optional(),
});

const schedule = z.union(
  [z.literal('manual'), z.literal('daily'), strict({ weekly: oneOf(WEEKDAYS, 'a day of the week') })],
  { error: 'use "manual", "daily" or { "weekly": "monday" } (any day of the week)' },
);

const cooldownDays = z
  .number()
  .int('a whole number of days')
  .min(0, 'at least 0 days (0: no cooldown)')
  .max(365, 'at most 365 days');

const fields = {
  name: orchestrationName,
  goal: oneOf(ORCHESTRATION_GOALS, 'a goal'),
  segment: reference("the segment's name or id"),
  provider: z.string().trim().min(1, 'name a provider (see `signalfit providers add`)').optional(),
  target,
  filters: filters.optional(),
  audience: audience.optional(),
  schedule: schedule.optional(),
  cooldownDays: cooldownDays.optional(),
};

const orchestrationShape = strict(fields);

type Problem = { path: (string | number)[]; message: string };

/** The rules between fields: what each goal needs and refuses. */
function crossProblems(definition: z.output<typeof orchestrationShape>): Problem[] {
  const problems: Problem[] = [];
  if (definition.goal === 'acquire_contacts') {
    if (definition.provider === undefined)
      problems.push({
        path: ['provider'],
        message: 'acquire_contacts needs a provider: name one added with `signalfit providers add`',
      });
    if (definition.audience !== undefined)
      problems.push({
        path: ['audience'],
        message: 'audience is for add_to_audience; acquire_contacts chooses people with filters',
      });
  } else {
    if (definition.provider !== undefined)
      problems.push({
        path: ['provider'],
        message: 'add_to_audience buys nothing, so it takes no provider: leave it out',
      });
    const given = Object.keys(definition.filters ?? {});
    if (given.length > 0)
      problems.push({
        path: ['filters', given[0]!],
        message: 'add_to_audience takes no filters (they choose people to buy): choose people with audience',
      });
  }
  if (definition.audience?.removeLeavers && definition.target.type !== 'salesforce_campaign')
    problems.push({
      path: ['audience', 'removeLeavers'],
      message: 'only a Salesforce campaign can remove the people who left the segment',
    });
  return problems;
}

export const orchestrationInput = orchestrationShape.superRefine((definition, context) => {
  for (const problem of crossProblems(definition)) context.addIssue({ code: 'custom', ...problem });
});

/**
 * The changes of PATCH: the same fields, each optional (at least one); null removes an optional
 * field (provider, filters, audience, schedule, cooldownDays). The use case applies them to the
 * stored definition and checks the result with parseOrchestrationInput (the rules between fields).
 */
export const orchestrationPatch = strict({
  name: fields.name.optional(),
  goal: fields.goal.optional(),
  segment: fields.segment.optional(),
  provider: fields.provider.nullable(),
  target: target.optional(),
  filters: fields.filters.nullable(),
  audience: fields.audience.nullable(),
  schedule: fields.schedule.nullable(),
  cooldownDays: fields.cooldownDays.nullable(),
}).refine((changes) => Object.values(changes).some((value) => value !== undefined), {
  message: `change at least one of ${Object.keys(fields).join(', ')}`,
});
export type OrchestrationPatch = z.output<typeof orchestrationPatch>;

/** Default messages for what the schemas do not word themselves (a missing key, a wrong type). */
const wording: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type')
    return issue.input === undefined
      ? `missing: this key is required`
      : `expected ${issue.expected}, found ${issue.input === null ? 'null' : typeof issue.input}`;
  return undefined;
};

/**
 * The issue to report: the first; for a union (the schedule) whose value had the shape of one
 * option, that option's issue, so `{ "weekly": "funday" }` is named at schedule.weekly.
 */
function firstProblem(issues: readonly z.core.$ZodIssue[]): { path: PropertyKey[]; message: string } {
  const first = issues[0]!;
  if (first.code !== 'invalid_union') return first;
  const wrongShape = (issue: z.core.$ZodIssue) =>
    issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
  const shaped = first.errors
    .map((option) => option[0])
    .filter((issue) => issue !== undefined && !wrongShape(issue));
  return shaped.length === 1
    ? { path: [...first.path, ...shaped[0]!.path], message: shaped[0]!.message }
    : first;
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value, { error: wording });
  if (result.success) return result.data;
  const problem = firstProblem(result.error.issues);
  const path = bracketPath(problem.path.map((part) => (typeof part === 'number' ? part : String(part))));
  throw new AppError('invalid_orchestration', `${where}: ${path ? `${path}: ` : ''}${problem.message}`, {
    path,
  });
}

/** Checks a whole definition (o.json), naming `where` (a file, or "body") and the first problem. */
export function parseOrchestrationInput(value: unknown, where: string): OrchestrationDefinition {
  return parseWith(orchestrationInput, value, where);
}

/** Checks the changes of PATCH (not the rules between fields: see orchestrationPatch). */
export function parseOrchestrationPatch(value: unknown, where: string): OrchestrationPatch {
  return parseWith(orchestrationPatch, value, where);
}
