import path from 'node:path';
import { z } from 'zod';
import { parseCron } from '../../jobs/cron';

/**
 * The Salesforce and schedule settings of the environment (docs/configuration.md). The
 * connection is optional: without `SALESFORCE_CLIENT_ID` the service runs without Salesforce,
 * and `signalfit sync|writeback salesforce` say what is missing.
 */
export interface SalesforceConfig {
  connection: {
    loginUrl: string;
    clientId: string;
    username: string;
    /** The PEM itself, or the file that holds it (read by the composition root). */
    privateKey: { pem: string } | { file: string };
  } | null;
  budgetPercent: number;
  fieldMappingFile: string | null;
  /** Cron expression (UTC) of the daily sync → score → write-back. */
  schedule: string;
}

const schema = z.object({
  SALESFORCE_LOGIN_URL: z.url({ protocol: /^https?$/ }).default('https://login.salesforce.com'),
  SALESFORCE_CLIENT_ID: z.string().optional(),
  SALESFORCE_USERNAME: z.string().optional(),
  SALESFORCE_PRIVATE_KEY: z.string().optional(),
  SALESFORCE_PRIVATE_KEY_FILE: z.string().optional(),
  SALESFORCE_API_BUDGET_PERCENT: z
    .string()
    .regex(/^\d+$/, 'must be a whole number in decimal digits')
    .transform(Number)
    .pipe(z.number().min(1).max(100))
    .default(20),
  SALESFORCE_FIELD_MAPPING_FILE: z.string().optional(),
  SIGNALFIT_SCHEDULE: z
    .string()
    .default('0 2 * * *')
    .superRefine((value, ctx) => {
      try {
        parseCron(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
});

/** The settings, or every problem found (as `VARIABLE: reason`). */
export function parseSalesforceEnv(
  env: Record<string, string | undefined>,
  cwd: string,
): { config: SalesforceConfig } | { problems: string[] } {
  const parsed = schema.safeParse(env);
  if (!parsed.success)
    return { problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const e = parsed.data;
  const problems: string[] = [];
  let connection: SalesforceConfig['connection'] = null;
  const anySet =
    e.SALESFORCE_CLIENT_ID ||
    e.SALESFORCE_USERNAME ||
    e.SALESFORCE_PRIVATE_KEY ||
    e.SALESFORCE_PRIVATE_KEY_FILE;
  if (anySet) {
    if (!e.SALESFORCE_CLIENT_ID)
      problems.push('SALESFORCE_CLIENT_ID: is required with the other SALESFORCE_ settings');
    if (!e.SALESFORCE_USERNAME) problems.push('SALESFORCE_USERNAME: is required with SALESFORCE_CLIENT_ID');
    if (!e.SALESFORCE_PRIVATE_KEY === !e.SALESFORCE_PRIVATE_KEY_FILE)
      problems.push('SALESFORCE_PRIVATE_KEY: set it or SALESFORCE_PRIVATE_KEY_FILE (one of the two)');
    if (problems.length === 0) {
      connection = {
        loginUrl: e.SALESFORCE_LOGIN_URL.replace(/\/+$/, ''),
        clientId: e.SALESFORCE_CLIENT_ID!,
        username: e.SALESFORCE_USERNAME!,
        // A PEM in one line of an env file carries its line breaks as \n.
        privateKey: e.SALESFORCE_PRIVATE_KEY
          ? { pem: e.SALESFORCE_PRIVATE_KEY.replace(/\\n/g, '\n') }
          : { file: path.resolve(cwd, e.SALESFORCE_PRIVATE_KEY_FILE!) },
      };
    }
  }
  if (problems.length > 0) return { problems };
  return {
    config: {
      connection,
      budgetPercent: e.SALESFORCE_API_BUDGET_PERCENT,
      fieldMappingFile: e.SALESFORCE_FIELD_MAPPING_FILE
        ? path.resolve(cwd, e.SALESFORCE_FIELD_MAPPING_FILE)
        : null,
      schedule: e.SIGNALFIT_SCHEDULE,
    },
  };
}
