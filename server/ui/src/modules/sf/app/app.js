import { LightningElement } from 'lwc';
import { ApiError, exchangeToken, fetchAccountIntelligence, fetchPerson } from 'sf/api';
import {
  MESSAGE_TYPES,
  allowedOriginPatterns,
  isSalesforceId,
  parentOriginHint,
  tokenFromMessage,
} from 'sf/protocol';

const STATE = Object.freeze({
  WAITING: 'waiting',
  LOADING: 'loading',
  READY: 'ready',
  EMPTY: 'empty',
  ERROR: 'error',
  STANDALONE: 'standalone',
});
/** Fresh tokens asked for in a row without a successful exchange, before giving up. */
const MAX_TOKEN_REQUESTS = 3;
/** Codes after which a fresh embed token (from the panel) may help. */
const REFRESHABLE = new Set(['token_expired', 'token_replayed', 'access_token_expired']);

/**
 * The dashboard inside the Salesforce panel: waits for the panel's embed token, exchanges it for
 * an access token (kept in memory only), then shows the account or person view of the panel's
 * record. Tells the panel when it is ready, its height, when it needs a fresh token, and which
 * Salesforce record to open.
 */
export default class App extends LightningElement {
  state = STATE.WAITING;
  view = 'account';
  intelligence;
  person;
  cameFromAccount = false;
  emptyTitle;
  emptyMessage;
  errorTitle;
  errorMessage;

  _patterns = [];
  _parentOrigin = null;
  _accessToken = null;
  _record = null;
  _tokenRequests = 0;
  _pendingAfterToken = null;
  _retry = null;
  _lastHeight = 0;
  _resizeObserver;
  _onMessage = (event) => this.handleMessage(event);

  connectedCallback() {
    if (window.parent === window) {
      this.state = STATE.STANDALONE;
      return;
    }
    this._patterns = allowedOriginPatterns(document);
    this._parentOrigin = parentOriginHint(window, this._patterns);
    window.addEventListener('message', this._onMessage);
    this.postToParent({ type: MESSAGE_TYPES.READY });
  }

  renderedCallback() {
    if (!this._resizeObserver && typeof ResizeObserver === 'function') {
      this._resizeObserver = new ResizeObserver(() => this.postHeight());
      this._resizeObserver.observe(this.template.host);
    }
    this.postHeight();
  }

  disconnectedCallback() {
    window.removeEventListener('message', this._onMessage);
    if (this._resizeObserver) {
      this._resizeObserver.disconnect();
      this._resizeObserver = undefined;
    }
    this._accessToken = null;
  }

  /** The views' Outreach actions call the API with the same in-memory token. */
  get accessToken() {
    return this._accessToken;
  }

  get isWaiting() {
    return this.state === STATE.WAITING || this.state === STATE.LOADING;
  }
  get loadingText() {
    return this.state === STATE.WAITING ? 'Connecting to Salesforce…' : 'Loading account intelligence…';
  }
  get isEmpty() {
    return this.state === STATE.EMPTY;
  }
  get isError() {
    return this.state === STATE.ERROR;
  }
  get isStandalone() {
    return this.state === STATE.STANDALONE;
  }
  get isAccountView() {
    return this.state === STATE.READY && this.view === 'account' && !!this.intelligence;
  }
  get isPersonView() {
    return this.state === STATE.READY && this.view === 'person' && !!this.person;
  }

  /** Messages go to the parent's known origin; before it is known, only `ready` (it carries nothing) goes out. */
  postToParent(message) {
    if (this._parentOrigin) {
      window.parent.postMessage(message, this._parentOrigin);
    } else if (message.type === MESSAGE_TYPES.READY) {
      window.parent.postMessage(message, '*');
    }
  }

  postHeight() {
    const height = Math.ceil(this.template.host.getBoundingClientRect().height);
    if (height > 0 && height !== this._lastHeight) {
      this._lastHeight = height;
      this.postToParent({ type: MESSAGE_TYPES.HEIGHT, height });
    }
  }

  handleMessage(event) {
    const token = tokenFromMessage(event, window.parent, this._patterns);
    if (!token) {
      return;
    }
    this._parentOrigin = event.origin;
    this.exchange(token);
  }

  async exchange(token) {
    if (!this._accessToken) {
      this.state = STATE.LOADING;
    }
    let session;
    try {
      session = await exchangeToken(token);
    } catch (error) {
      this.handleFailure(error, () => this.exchange(token));
      return;
    }
    this._tokenRequests = 0;
    this._accessToken = session.accessToken;
    this._record = session.record;
    const pending = this._pendingAfterToken;
    this._pendingAfterToken = null;
    if (pending) {
      pending();
    } else {
      this.showRecord();
    }
  }

  showRecord() {
    const record = this._record;
    if (!record) {
      this.showEmpty(
        'Open Signalfit on a record',
        'Place the Signalfit panel on an Account, Contact or Lead page to see its intelligence.',
      );
    } else if (!record.known) {
      this.showEmpty(
        'No Signalfit data for this record yet',
        'Signalfit has not received this record from Salesforce or an import yet. It appears after the next sync.',
      );
    } else if (record.objectApiName === 'Account') {
      this.loadAccount(record.id, false);
    } else {
      this.loadPerson(record.id, false);
    }
  }

  async loadAccount(id, fromPerson) {
    this.state = STATE.LOADING;
    try {
      this.intelligence = await fetchAccountIntelligence(id, this._accessToken);
    } catch (error) {
      this.handleFailure(error, () => this.loadAccount(id, fromPerson));
      return;
    }
    this.view = 'account';
    this.state = STATE.READY;
    if (fromPerson) {
      this.focusHeading();
    }
  }

  async loadPerson(id, fromAccount) {
    this.state = STATE.LOADING;
    try {
      this.person = await fetchPerson(id, this._accessToken);
    } catch (error) {
      this.handleFailure(error, () => this.loadPerson(id, fromAccount));
      return;
    }
    this.cameFromAccount = fromAccount;
    this.view = 'person';
    this.state = STATE.READY;
    if (fromAccount) {
      this.focusHeading();
    }
  }

  /** An expired token asks the panel for a fresh one and retries `retry` once it arrives. */
  handleFailure(error, retry) {
    const code = error instanceof ApiError ? error.code : 'internal_error';
    if (REFRESHABLE.has(code) && this._tokenRequests < MAX_TOKEN_REQUESTS) {
      this._tokenRequests += 1;
      this._accessToken = null;
      this._pendingAfterToken = code === 'access_token_expired' ? retry : null;
      this.state = STATE.LOADING;
      this.postToParent({ type: MESSAGE_TYPES.TOKEN_EXPIRED });
      return;
    }
    const message = error && error.message ? error.message : 'Something went wrong.';
    if (error instanceof ApiError && error.status === 401) {
      // The panel shows its own error panel, with a retry that mints a new token.
      this.postToParent({ type: MESSAGE_TYPES.ERROR, message, code });
    }
    this._retry = retry;
    this.errorTitle =
      error instanceof ApiError && error.status === 403 ? 'Not available here' : 'Signalfit could not load';
    this.errorMessage = message;
    this.state = STATE.ERROR;
  }

  showEmpty(title, message) {
    this.emptyTitle = title;
    this.emptyMessage = message;
    this.state = STATE.EMPTY;
  }

  handleRetry() {
    if (this._accessToken && this._retry) {
      this._retry();
    } else {
      this._tokenRequests = 0;
      this.state = STATE.LOADING;
      this.postToParent({ type: MESSAGE_TYPES.TOKEN_EXPIRED });
    }
  }

  handleOpenPerson(event) {
    this.loadPerson(event.detail.id, true);
  }

  handleBackToAccount() {
    if (this.intelligence && this.person && this.intelligence.account.id === this.person.account.id) {
      this.view = 'account';
      this.focusHeading();
    } else if (this.person) {
      this.loadAccount(this.person.account.id, true);
    }
  }

  handleOpenRecord(event) {
    const { recordId, objectApiName } = event.detail;
    if (isSalesforceId(recordId)) {
      this.postToParent({ type: MESSAGE_TYPES.NAVIGATE, recordId, objectApiName });
    }
  }

  focusHeading() {
    // After the view re-renders, move focus to its heading so screen readers announce the change.
    Promise.resolve().then(() => {
      const view = this.template.querySelector('sf-account-view, sf-person-view');
      if (view && typeof view.focusHeading === 'function') {
        view.focusHeading();
      }
    });
  }
}
