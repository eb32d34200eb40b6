import { z } from 'zod';
import { AppError } from '../errors';

/** One problem with request input, as it appears in an error response's `details`. */
export interface InputIssue {
  /** Where in the input, e.g. `['items', 0, 'email']`; empty for the input as a whole. */
  path: (string | number)[];
  message: string;
}

/** Zod issues in the shape clients see (symbol keys, which JSON cannot carry, become strings). */
export function inputIssues(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
    message: issue.message,
  }));
}

/** The one-line summary used as the error message: `a.b: message; c: message`. */
export function describeIssues(issues: InputIssue[]): string {
  const parts = issues.map((issue) =>
    issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  return `invalid request input: ${parts.join('; ')}`;
}

/**
 * Parses request input (body, query, params, headers) with `schema`. Handlers read only what
 * this returns; anything else is answered 400 `validation_failed` with every issue in `details`.
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = inputIssues(result.error);
  throw new AppError('validation_failed', describeIssues(issues), issues);
}
