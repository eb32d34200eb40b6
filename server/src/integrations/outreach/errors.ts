import { z } from 'zod';

/** One JSON:API error object as Outreach sends it; `detail` or (on 415) `details` carries the text. */
export interface OutreachErrorObject {
  id: string | null;
  title: string | null;
  detail: string | null;
  pointer: string | null;
}

const errorBody = z.object({
  errors: z.array(
    z.looseObject({
      id: z.string().nullish(),
      title: z.string().nullish(),
      detail: z.string().nullish(),
      details: z.string().nullish(),
      source: z.looseObject({ pointer: z.string().nullish() }).nullish(),
    }),
  ),
});

/** A refused Outreach call: the HTTP status, the error objects, and for 429 when to try again. */
export class OutreachApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: OutreachErrorObject[],
    readonly retryAt: Date | null = null,
  ) {
    super(`Outreach answered ${status}: ${describeOutreachErrors(errors) || 'no error detail'}`);
    this.name = 'OutreachApiError';
  }

  /** The first error's id (`validationError`, `unauthorizedOauthScope`, `rateLimitExceeded`…). */
  get errorId(): string | null {
    return this.errors[0]?.id ?? null;
  }

  /** The errors' texts joined, for a person's result or a log line (never carries a token). */
  get detail(): string {
    return describeOutreachErrors(this.errors);
  }
}

export function describeOutreachErrors(errors: readonly OutreachErrorObject[]): string {
  return errors
    .map((e) => e.detail ?? e.title ?? e.id ?? '')
    .filter(Boolean)
    .join('; ');
}

/** Reads a JSON:API error body; anything else becomes one error object with the body's start. */
export function parseOutreachErrors(text: string): OutreachErrorObject[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [{ id: null, title: null, detail: text.slice(0, 200) || null, pointer: null }];
  }
  const parsed = errorBody.safeParse(json);
  if (!parsed.success) return [{ id: null, title: null, detail: text.slice(0, 200) || null, pointer: null }];
  return parsed.data.errors.map((e) => ({
    id: e.id ?? null,
    title: e.title ?? null,
    // Outreach's 415 example says `details` (plural); every other error says `detail`.
    detail: e.detail ?? e.details ?? null,
    pointer: e.source?.pointer ?? null,
  }));
}

/** A token endpoint refusal (`invalid_grant`, a 429 for minting too often…). */
export class OutreachOAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
    this.name = 'OutreachOAuthError';
  }
}
