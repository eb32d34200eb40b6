import { createElement } from 'lwc';
import SignalfitPanel from 'c/signalfitPanel';
import getEmbedContext from '@salesforce/apex/SignalfitEmbedController.getEmbedContext';
import { getNavigateCalledWith, resetNavigationMock } from 'lightning/navigation';

// Realistic Apex answers: the token is an HS256 JWT with the documented claims.
const EMBED_CONTEXT = require('./data/embedContext.json');
const EMBED_CONTEXT_REFRESHED = require('./data/embedContextRefreshed.json');

jest.mock(
  '@salesforce/apex/SignalfitEmbedController.getEmbedContext',
  () => {
    return { default: jest.fn() };
  },
  { virtual: true },
);

const SERVICE_ORIGIN = 'https://signalfit.example.com';
const ACCOUNT_ID = '0015g00000T4nW2AAF';
// One second after the fixture token was issued.
const NOW = EMBED_CONTEXT.expiresAt - 59000;
const READY_TIMEOUT_MS = 15000;

// An AuraHandledException as imperative Apex rejects it.
const NOT_CONFIGURED_ERROR = {
  status: 500,
  statusText: 'Server Error',
  body: {
    exceptionType: 'System.AuraHandledException',
    isUserDefinedException: false,
    message:
      'Signalfit is not configured: an admin must set the Service URL (an https address such as https://signalfit.example.com) in the Signalfit Setting record named "Default" (Setup > Custom Metadata Types).',
    stackTrace: '',
  },
  ok: false,
};

// Promise callbacks and LWC re-renders run as microtasks; let a few rounds of them run.
async function flushPromises() {
  for (let i = 0; i < 10; i += 1) {
    // eslint-disable-next-line no-await-in-loop
    await Promise.resolve();
  }
}

function createPanel(props = {}) {
  const element = createElement('c-signalfit-panel', { is: SignalfitPanel });
  Object.assign(element, { recordId: ACCOUNT_ID, objectApiName: 'Account' }, props);
  document.body.appendChild(element);
  return element;
}

function frameOf(element) {
  return element.shadowRoot.querySelector('iframe');
}

function errorPanelOf(element) {
  return element.shadowRoot.querySelector('lightning-card');
}

function sendFromFrame(element, data, { origin = SERVICE_ORIGIN, source } = {}) {
  const frame = frameOf(element);
  window.dispatchEvent(
    new MessageEvent('message', {
      data,
      origin,
      source: source === undefined ? frame.contentWindow : source,
    }),
  );
}

/** Renders the panel with a resolved token and a spy on the frame's postMessage. */
async function createLoadedPanel(props) {
  getEmbedContext.mockResolvedValueOnce(EMBED_CONTEXT);
  const element = createPanel(props);
  await flushPromises();
  const postMessage = jest.spyOn(frameOf(element).contentWindow, 'postMessage');
  return { element, postMessage };
}

describe('c-signalfit-panel', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: NOW, doNotFake: ['queueMicrotask', 'nextTick'] });
  });

  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
    jest.useRealTimers();
    resetNavigationMock();
  });

  describe('loading', () => {
    it('shows a spinner while Apex mints the token and asks for the page record', async () => {
      getEmbedContext.mockReturnValue(new Promise(() => {}));

      const element = createPanel();
      await flushPromises();

      expect(element.shadowRoot.querySelector('lightning-spinner')).not.toBeNull();
      expect(frameOf(element)).toBeNull();
      expect(getEmbedContext).toHaveBeenCalledTimes(1);
      expect(getEmbedContext).toHaveBeenCalledWith({ recordId: ACCOUNT_ID, objectApiName: 'Account' });
    });

    it('asks for a token without record on app and home pages', async () => {
      getEmbedContext.mockReturnValue(new Promise(() => {}));

      createPanel({ recordId: undefined, objectApiName: undefined });
      await flushPromises();

      expect(getEmbedContext).toHaveBeenCalledWith({ recordId: null, objectApiName: null });
    });

    it('frames the /embed page of the service origin, with a title and no token in the URL', async () => {
      const { element } = await createLoadedPanel();

      const frame = frameOf(element);
      expect(frame).not.toBeNull();
      expect(frame.getAttribute('src')).toBe('https://signalfit.example.com/embed');
      expect(frame.getAttribute('src')).not.toContain(EMBED_CONTEXT.token);
      expect(frame.title).toBe('Signalfit account intelligence');
      expect(frame.style.height).toBe('600px');
      // Still loading until the frame says it is ready.
      expect(element.shadowRoot.querySelector('lightning-spinner')).not.toBeNull();
    });

    it('starts at the height set in App Builder, clamped to 200-2000 px', async () => {
      const { element: tall } = await createLoadedPanel({ height: 5000 });
      const { element: custom } = await createLoadedPanel({ height: 450 });

      expect(frameOf(tall).style.height).toBe('2000px');
      expect(frameOf(custom).style.height).toBe('450px');
    });
  });

  describe('token hand-over', () => {
    it('posts the token to the exact service origin when the frame loads', async () => {
      const { element, postMessage } = await createLoadedPanel();

      frameOf(element).dispatchEvent(new CustomEvent('load'));

      expect(postMessage).toHaveBeenCalledTimes(1);
      expect(postMessage).toHaveBeenCalledWith(
        { type: 'signalfit:token', token: EMBED_CONTEXT.token },
        SERVICE_ORIGIN,
      );
      expect(postMessage.mock.calls[0][1]).not.toBe('*');
    });

    it('posts the token when the frame says it is ready, and hides the spinner', async () => {
      const { element, postMessage } = await createLoadedPanel();

      sendFromFrame(element, { type: 'signalfit:ready' });
      await flushPromises();

      expect(postMessage).toHaveBeenCalledWith(
        { type: 'signalfit:token', token: EMBED_CONTEXT.token },
        SERVICE_ORIGIN,
      );
      expect(element.shadowRoot.querySelector('lightning-spinner')).toBeNull();
    });

    it('posts a token only once: a load after ready does not post it again', async () => {
      const { element, postMessage } = await createLoadedPanel();

      sendFromFrame(element, { type: 'signalfit:ready' });
      frameOf(element).dispatchEvent(new CustomEvent('load'));
      await flushPromises();

      expect(postMessage).toHaveBeenCalledTimes(1);
      expect(getEmbedContext).toHaveBeenCalledTimes(1);
    });

    it('mints a fresh token when the frame asks again after the token was posted', async () => {
      const { element, postMessage } = await createLoadedPanel();
      frameOf(element).dispatchEvent(new CustomEvent('load'));
      getEmbedContext.mockResolvedValueOnce(EMBED_CONTEXT_REFRESHED);

      sendFromFrame(element, { type: 'signalfit:ready' });
      await flushPromises();

      expect(getEmbedContext).toHaveBeenCalledTimes(2);
      expect(postMessage).toHaveBeenCalledTimes(2);
      expect(postMessage).toHaveBeenLastCalledWith(
        { type: 'signalfit:token', token: EMBED_CONTEXT_REFRESHED.token },
        SERVICE_ORIGIN,
      );
    });

    it('does not post a token that has expired; the ready frame gets a fresh one', async () => {
      const { element, postMessage } = await createLoadedPanel();
      jest.setSystemTime(EMBED_CONTEXT.expiresAt);
      frameOf(element).dispatchEvent(new CustomEvent('load'));
      expect(postMessage).not.toHaveBeenCalled();
      getEmbedContext.mockResolvedValueOnce(EMBED_CONTEXT_REFRESHED);

      sendFromFrame(element, { type: 'signalfit:ready' });
      await flushPromises();

      expect(postMessage).toHaveBeenCalledTimes(1);
      expect(postMessage).toHaveBeenCalledWith(
        { type: 'signalfit:token', token: EMBED_CONTEXT_REFRESHED.token },
        SERVICE_ORIGIN,
      );
    });

    it('fetches and posts a fresh token when the frame reports the token expired', async () => {
      const { element, postMessage } = await createLoadedPanel();
      sendFromFrame(element, { type: 'signalfit:ready' });
      await flushPromises();
      getEmbedContext.mockResolvedValueOnce(EMBED_CONTEXT_REFRESHED);

      sendFromFrame(element, { type: 'signalfit:token-expired' });
      await flushPromises();

      expect(getEmbedContext).toHaveBeenCalledTimes(2);
      expect(getEmbedContext).toHaveBeenLastCalledWith({ recordId: ACCOUNT_ID, objectApiName: 'Account' });
      expect(postMessage).toHaveBeenLastCalledWith(
        { type: 'signalfit:token', token: EMBED_CONTEXT_REFRESHED.token },
        SERVICE_ORIGIN,
      );
      expect(errorPanelOf(element)).toBeNull();
    });

    it('shows the error panel when a fresh token cannot be minted', async () => {
      const { element } = await createLoadedPanel();
      sendFromFrame(element, { type: 'signalfit:ready' });
      await flushPromises();
      getEmbedContext.mockRejectedValueOnce({
        body: { message: 'You do not have access to Signalfit.' },
        status: 500,
      });

      sendFromFrame(element, { type: 'signalfit:token-expired' });
      await flushPromises();

      expect(errorPanelOf(element)).not.toBeNull();
      expect(element.shadowRoot.querySelector('.error-message').textContent).toBe(
        'You do not have access to Signalfit.',
      );
      expect(frameOf(element)).toBeNull();
    });
  });

  describe('origin and source checks', () => {
    it('ignores messages from another origin', async () => {
      const { element, postMessage } = await createLoadedPanel();

      sendFromFrame(element, { type: 'signalfit:ready' }, { origin: 'https://evil.example.com' });
      sendFromFrame(
        element,
        { type: 'signalfit:height', height: 900 },
        { origin: 'https://evil.example.com' },
      );
      sendFromFrame(element, { type: 'signalfit:ready' }, { origin: 'http://signalfit.example.com' });
      await flushPromises();

      expect(postMessage).not.toHaveBeenCalled();
      expect(frameOf(element).style.height).toBe('600px');
      expect(element.shadowRoot.querySelector('lightning-spinner')).not.toBeNull();
    });

    it('ignores messages of the right origin from another window', async () => {
      const { element, postMessage } = await createLoadedPanel();

      sendFromFrame(element, { type: 'signalfit:ready' }, { source: window });
      sendFromFrame(element, { type: 'signalfit:height', height: 900 }, { source: null });
      await flushPromises();

      expect(postMessage).not.toHaveBeenCalled();
      expect(frameOf(element).style.height).toBe('600px');
    });

    it('ignores malformed and unknown messages', async () => {
      const { element, postMessage } = await createLoadedPanel();

      sendFromFrame(element, 'signalfit:ready');
      sendFromFrame(element, { type: 'signalfit:token', token: 'from-the-frame' });
      sendFromFrame(element, { type: 'signalfit:height', height: '900px' });
      sendFromFrame(element, { type: 'signalfit:navigate', recordId: ['javascript', 'alert(1)'].join(':') });
      await flushPromises();

      expect(postMessage).not.toHaveBeenCalled();
      expect(frameOf(element).style.height).toBe('600px');
      expect(getNavigateCalledWith().pageReference).toBeUndefined();
    });
  });

  describe('messages from the frame', () => {
    it('resizes the frame to the height it reports, within 200-2000 px', async () => {
      const { element } = await createLoadedPanel();

      sendFromFrame(element, { type: 'signalfit:height', height: 873.4 });
      await flushPromises();
      expect(frameOf(element).style.height).toBe('873px');

      sendFromFrame(element, { type: 'signalfit:height', height: 12 });
      await flushPromises();
      expect(frameOf(element).style.height).toBe('200px');

      sendFromFrame(element, { type: 'signalfit:height', height: 250000 });
      await flushPromises();
      expect(frameOf(element).style.height).toBe('2000px');
    });

    it('opens the requested record with NavigationMixin', async () => {
      const { element } = await createLoadedPanel();

      sendFromFrame(element, {
        type: 'signalfit:navigate',
        recordId: '0035g00000XyZaBAAV',
        objectApiName: 'Contact',
      });
      await flushPromises();

      expect(getNavigateCalledWith().pageReference).toEqual({
        type: 'standard__recordPage',
        attributes: { recordId: '0035g00000XyZaBAAV', objectApiName: 'Contact', actionName: 'view' },
      });
    });

    it('shows the error panel when the service refuses the token', async () => {
      const { element } = await createLoadedPanel();
      sendFromFrame(element, { type: 'signalfit:ready' });
      await flushPromises();

      sendFromFrame(element, {
        type: 'signalfit:error',
        code: 'token_replayed',
        message: 'This sign-in link was already used. Retry to get a new one.',
      });
      await flushPromises();

      expect(frameOf(element)).toBeNull();
      expect(element.shadowRoot.querySelector('.error-title').textContent).toBe('Signalfit could not open');
      expect(element.shadowRoot.querySelector('.error-message').textContent).toBe(
        'This sign-in link was already used. Retry to get a new one.',
      );
    });
  });

  describe('errors and retry', () => {
    it('shows the Apex message when Signalfit is not configured, and Retry recovers', async () => {
      getEmbedContext.mockRejectedValueOnce(NOT_CONFIGURED_ERROR);
      const element = createPanel();
      await flushPromises();

      expect(frameOf(element)).toBeNull();
      expect(element.shadowRoot.querySelector('lightning-spinner')).toBeNull();
      expect(errorPanelOf(element)).not.toBeNull();
      expect(element.shadowRoot.querySelector('[role="alert"]')).not.toBeNull();
      expect(element.shadowRoot.querySelector('.error-message').textContent).toBe(
        NOT_CONFIGURED_ERROR.body.message,
      );

      getEmbedContext.mockResolvedValueOnce(EMBED_CONTEXT);
      const retry = element.shadowRoot.querySelector('lightning-button');
      expect(retry.label).toBe('Retry');
      retry.click();
      await flushPromises();

      expect(getEmbedContext).toHaveBeenCalledTimes(2);
      expect(errorPanelOf(element)).toBeNull();
      expect(frameOf(element).getAttribute('src')).toBe('https://signalfit.example.com/embed');
    });

    it('reports the service as unreachable when the frame is not ready in time', async () => {
      const { element, postMessage } = await createLoadedPanel();

      jest.advanceTimersByTime(READY_TIMEOUT_MS - 1);
      await flushPromises();
      expect(errorPanelOf(element)).toBeNull();

      jest.advanceTimersByTime(1);
      await flushPromises();

      expect(frameOf(element)).toBeNull();
      expect(element.shadowRoot.querySelector('.error-title').textContent).toBe(
        'Signalfit service not reachable',
      );
      const message = element.shadowRoot.querySelector('.error-message').textContent;
      expect(message).toContain('https://signalfit.example.com');
      expect(message).toContain('did not respond within 15 seconds');
      expect(postMessage).not.toHaveBeenCalled();
    });

    it('does not time out once the frame is ready', async () => {
      const { element } = await createLoadedPanel();
      sendFromFrame(element, { type: 'signalfit:ready' });
      await flushPromises();

      jest.advanceTimersByTime(READY_TIMEOUT_MS * 2);
      await flushPromises();

      expect(errorPanelOf(element)).toBeNull();
      expect(frameOf(element)).not.toBeNull();
    });

    it('starts over on Retry after a timeout, with a new frame and a new token', async () => {
      const { element } = await createLoadedPanel();
      jest.advanceTimersByTime(READY_TIMEOUT_MS);
      await flushPromises();
      getEmbedContext.mockResolvedValueOnce(EMBED_CONTEXT_REFRESHED);

      element.shadowRoot.querySelector('lightning-button').click();
      await flushPromises();
      const postMessage = jest.spyOn(frameOf(element).contentWindow, 'postMessage');
      sendFromFrame(element, { type: 'signalfit:ready' });
      await flushPromises();

      expect(getEmbedContext).toHaveBeenCalledTimes(2);
      expect(postMessage).toHaveBeenCalledWith(
        { type: 'signalfit:token', token: EMBED_CONTEXT_REFRESHED.token },
        SERVICE_ORIGIN,
      );
      expect(errorPanelOf(element)).toBeNull();
    });

    it('refuses a service URL that is not an https origin', async () => {
      getEmbedContext.mockResolvedValueOnce({ ...EMBED_CONTEXT, serviceUrl: 'http://signalfit.example.com' });

      const element = createPanel();
      await flushPromises();

      expect(frameOf(element)).toBeNull();
      expect(element.shadowRoot.querySelector('.error-title').textContent).toBe(
        'Signalfit is not configured correctly',
      );
      expect(element.shadowRoot.querySelector('.error-message').textContent).toContain(
        'http://signalfit.example.com',
      );
    });
  });

  describe('cleanup', () => {
    it('removes its window message listener on disconnect', async () => {
      const addListener = jest.spyOn(window, 'addEventListener');
      const removeListener = jest.spyOn(window, 'removeEventListener');
      const { element, postMessage } = await createLoadedPanel();
      const listener = addListener.mock.calls.find(([type]) => type === 'message')[1];
      const contentWindow = frameOf(element).contentWindow;

      document.body.removeChild(element);

      expect(removeListener).toHaveBeenCalledWith('message', listener);
      window.dispatchEvent(
        new MessageEvent('message', {
          data: { type: 'signalfit:ready' },
          origin: SERVICE_ORIGIN,
          source: contentWindow,
        }),
      );
      await flushPromises();
      expect(postMessage).not.toHaveBeenCalled();
      expect(getEmbedContext).toHaveBeenCalledTimes(1);
      addListener.mockRestore();
      removeListener.mockRestore();
    });
  });
});
