// Helpers of the dashboard's component tests (server/ui/src/modules/sf/*/__tests__), in the
// style of force-app's LWC tests: render into document.body, let promises settle, read the DOM.

/** Promise callbacks and LWC re-renders run as microtasks; lets a few rounds of them run. */
export async function flushPromises() {
  for (let i = 0; i < 10; i += 1) {
    await Promise.resolve();
  }
}

/** Removes what a test rendered, so the next one starts from an empty page. */
export function clearBody() {
  while (document.body.firstChild) {
    document.body.removeChild(document.body.firstChild);
  }
}

/** A fetch answer as sf/api reads it (jsdom has no fetch of its own). */
export function answer(status, body) {
  return {
    ok: status >= 200 && status < 300,
    status,
    json: async () => (body === undefined ? Promise.reject(new SyntaxError('no body')) : body),
    blob: async () => new Blob([typeof body === 'string' ? body : JSON.stringify(body)]),
  };
}

/**
 * Installs a fetch that answers each path (without its query) from `routes`: a value is sent as
 * a 200 JSON answer, a function of (url, init) returns the answer (or a promise of it). Unknown
 * paths answer 404 the way the service does. Returns the jest mock to inspect the calls.
 */
export function stubFetch(routes) {
  const fetch = jest.fn(async (url, init) => {
    const route = routes[String(url).split('?')[0]];
    if (route === undefined) {
      return answer(404, { error: { code: 'not_found', message: `no route ${url}` } });
    }
    return typeof route === 'function' ? route(url, init) : answer(200, route);
  });
  global.fetch = fetch;
  return fetch;
}

/** Text of an element with the white space LWC templates leave around it folded. */
export function textOf(element) {
  return element ? element.textContent.replace(/\s+/g, ' ').trim() : null;
}
