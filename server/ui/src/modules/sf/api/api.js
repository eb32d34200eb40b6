/**
 * Calls to the Signalfit API. The access token travels as a bearer header and lives only in the
 * page's memory: no cookies (a framed page is a third party to the browser). The one exception is
 * the standalone app's sign-in cookie, sent only to POST /api/session/token and /signout
 * (`withSignInCookie`).
 */
export class ApiError extends Error {
  /** `details` is the error answer's `details` (e.g. `{ path }` of an invalid segment), if any. */
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * Sends a request and returns the response when it succeeded; a failure becomes an ApiError with
 * the service's error code and message (or the HTTP status when the answer has none). `body` is
 * sent as JSON; `text` (with `contentType`) is sent as it is, e.g. an uploaded CSV.
 */
async function send(
  path,
  { method = 'GET', accessToken, body, text, contentType, headers = {}, withSignInCookie = false } = {},
) {
  const all = { Accept: 'application/json', ...headers };
  if (accessToken) {
    all.Authorization = `Bearer ${accessToken}`;
  }
  if (body !== undefined) {
    all['Content-Type'] = 'application/json';
  } else if (text !== undefined) {
    all['Content-Type'] = contentType || 'text/plain';
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: all,
      body: body === undefined ? text : JSON.stringify(body),
      credentials: withSignInCookie ? 'same-origin' : 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'The Signalfit service could not be reached. Check your connection.',
    );
  }
  if (!response.ok) {
    const payload = await response.json().catch(() => null);
    const error = (payload && payload.error) || {};
    throw new ApiError(
      response.status,
      error.code || `http_${response.status}`,
      error.message || `The Signalfit service answered ${response.status}.`,
      error.details,
    );
  }
  return response;
}

/** A JSON call; `headers` adds request headers (e.g. Idempotency-Key). */
export async function requestJson(path, options) {
  const response = await send(path, options);
  return response.json().catch(() => null);
}

/** A call whose answer has no body (204), e.g. a DELETE. */
export async function requestEmpty(path, options) {
  await send(path, options);
}

/** A download (e.g. a CSV), as a Blob. */
export async function requestBlob(path, options) {
  const response = await send(path, options);
  return response.blob();
}

export function exchangeToken(token) {
  return requestJson('/api/embed/exchange', { method: 'POST', body: { token } });
}

export function fetchAccountIntelligence(id, accessToken) {
  return requestJson(`/api/accounts/${encodeURIComponent(id)}/intelligence`, { accessToken });
}

export function fetchPerson(id, accessToken) {
  return requestJson(`/api/people/${encodeURIComponent(id)}`, { accessToken });
}
