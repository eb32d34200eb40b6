/**
 * Calls to the Signalfit API. The access token travels as a bearer header and lives only in the
 * page's memory: no cookies (a framed page is a third party to the browser).
 */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function requestJson(path, { method = 'GET', accessToken, body } = {}) {
  const headers = { Accept: 'application/json' };
  if (accessToken) {
    headers.Authorization = `Bearer ${accessToken}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'The Signalfit service could not be reached. Check your connection.',
    );
  }
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const error = payload && payload.error ? payload.error : {};
    throw new ApiError(
      response.status,
      error.code || `http_${response.status}`,
      error.message || `The Signalfit service answered ${response.status}.`,
    );
  }
  return payload;
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
