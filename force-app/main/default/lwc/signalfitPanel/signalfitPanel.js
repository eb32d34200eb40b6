import { LightningElement, api } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getEmbedContext from '@salesforce/apex/SignalfitEmbedController.getEmbedContext';
import {
  MESSAGE_TYPES,
  READY_TIMEOUT_MS,
  buildEmbedUrl,
  buildTokenMessage,
  clampHeight,
  isMessageFromFrame,
  isTokenExpired,
  parseFrameMessage,
  parseServiceOrigin,
  recordPageReference,
  reduceError,
} from 'c/signalfitEmbedUtils';

const STATUS = Object.freeze({ LOADING: 'loading', READY: 'ready', ERROR: 'error' });

/**
 * Shows the Signalfit dashboard for the current record (or, on app and home pages, without one).
 *
 * Apex mints a short-lived signed token; the component frames `<service>/embed` (the token is never
 * in the URL) and hands the token over with postMessage to the service's exact origin. Each token
 * is posted at most once: a second `signalfit:ready` (the frame reloaded) or a
 * `signalfit:token-expired` gets a freshly minted token. Messages are accepted only from the
 * service origin and from this component's own frame.
 */
/** What contextForAttempt answers when its attempt is over (Apex itself may answer null). */
const ATTEMPT_OVER = Symbol('attempt over');

export default class SignalfitPanel extends NavigationMixin(LightningElement) {
  @api recordId;
  @api objectApiName;
  /** Initial height of the panel in px (App Builder property); the dashboard then reports its own. */
  @api height;

  status = STATUS.LOADING;
  embedUrl;
  frameHeight = clampHeight(undefined);
  errorTitle;
  errorMessage;

  _serviceOrigin;
  _token;
  _expiresAt;
  _tokenPosted = false;
  _readyTimer;
  // Incremented on every start and on disconnect, so that late answers of an older attempt are dropped.
  _attempt = 0;
  _messageListener = (event) => this.handleMessage(event);

  connectedCallback() {
    window.addEventListener('message', this._messageListener);
    this.start();
  }

  disconnectedCallback() {
    window.removeEventListener('message', this._messageListener);
    this._attempt += 1;
    this.clearReadyTimer();
    this._token = undefined;
  }

  get isLoading() {
    return this.status === STATUS.LOADING;
  }

  get hasError() {
    return this.status === STATUS.ERROR;
  }

  get showFrame() {
    return !this.hasError && !!this.embedUrl;
  }

  /** Inline height of the frame (and of the placeholder shown before it). */
  get heightStyle() {
    return `height: ${this.frameHeight}px;`;
  }

  /** Starts over: a new token, a new frame, a new ready timeout. */
  async start() {
    this._attempt += 1;
    const attempt = this._attempt;
    this.clearReadyTimer();
    this.status = STATUS.LOADING;
    this.embedUrl = undefined;
    this.errorTitle = undefined;
    this.errorMessage = undefined;
    this._serviceOrigin = undefined;
    this._token = undefined;
    this._expiresAt = undefined;
    this._tokenPosted = false;
    this.frameHeight = clampHeight(this.height);

    const context = await this.contextForAttempt(attempt);
    if (context === ATTEMPT_OVER) {
      return;
    }
    const serviceOrigin = parseServiceOrigin(context && context.serviceUrl);
    if (!serviceOrigin) {
      this.showError(
        'Signalfit is not configured correctly',
        `The Signalfit service URL "${(context && context.serviceUrl) || ''}" is not a valid https address. ` +
          'Ask your Salesforce admin to correct the Signalfit Setting record.',
      );
      return;
    }
    if (!context.token) {
      this.showError('Signalfit is not available', 'Salesforce did not return a Signalfit token.');
      return;
    }
    this._serviceOrigin = serviceOrigin;
    this.acceptToken(context);
    this.embedUrl = buildEmbedUrl(serviceOrigin);
    this.startReadyTimer(attempt);
  }

  fetchEmbedContext() {
    return getEmbedContext({
      recordId: this.recordId || null,
      objectApiName: this.objectApiName || null,
    });
  }

  acceptToken(context) {
    this._token = context.token;
    this._expiresAt = context.expiresAt;
    this._tokenPosted = false;
  }

  startReadyTimer(attempt) {
    // The frame has READY_TIMEOUT_MS to load and say it is ready; otherwise the service is unreachable.
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this._readyTimer = setTimeout(() => {
      this._readyTimer = undefined;
      if (attempt === this._attempt && this.status === STATUS.LOADING) {
        this.showError(
          'Signalfit service not reachable',
          `The Signalfit service at ${this._serviceOrigin} did not respond within ` +
            `${Math.round(READY_TIMEOUT_MS / 1000)} seconds. Check that the service is running and ` +
            'reachable from your browser, and that the CSP Trusted Site "Signalfit_Service" ' +
            'allows this address.',
        );
      }
    }, READY_TIMEOUT_MS);
  }

  clearReadyTimer() {
    if (this._readyTimer) {
      clearTimeout(this._readyTimer);
      this._readyTimer = undefined;
    }
  }

  get frameWindow() {
    const frame = this.template.querySelector('iframe');
    return frame ? frame.contentWindow : null;
  }

  /** Posts the current token to the frame, once. Returns true when it was posted. */
  postToken() {
    const frameWindow = this.frameWindow;
    if (!frameWindow || !this._token || !this._serviceOrigin || this._tokenPosted) {
      return false;
    }
    frameWindow.postMessage(buildTokenMessage(this._token), this._serviceOrigin);
    this._tokenPosted = true;
    return true;
  }

  /**
   * Asks Apex for the embed context. ATTEMPT_OVER when this attempt is over: Apex failed (the
   * error panel says why) or a retry started meanwhile (its answer wins).
   */
  async contextForAttempt(attempt) {
    let context;
    try {
      context = await this.fetchEmbedContext();
    } catch (error) {
      if (attempt === this._attempt) {
        this.showError('Signalfit is not available', reduceError(error));
      }
      return ATTEMPT_OVER;
    }
    return attempt === this._attempt ? context : ATTEMPT_OVER;
  }

  /** Mints a fresh token (imperative Apex, never cached) and posts it. */
  async refreshToken() {
    const context = await this.contextForAttempt(this._attempt);
    if (context === ATTEMPT_OVER) {
      return;
    }
    if (!context || parseServiceOrigin(context.serviceUrl) !== this._serviceOrigin || !context.token) {
      // The configuration changed under us: start over with the new service.
      this.start();
      return;
    }
    this.acceptToken(context);
    this.postToken();
  }

  handleFrameLoad() {
    if (!this._tokenPosted && !isTokenExpired(this._expiresAt, Date.now())) {
      this.postToken();
    }
  }

  handleReady() {
    this.clearReadyTimer();
    this.status = STATUS.READY;
    if (this._tokenPosted || isTokenExpired(this._expiresAt, Date.now())) {
      this.refreshToken();
    } else {
      this.postToken();
    }
  }

  handleMessage(event) {
    if (!this._serviceOrigin || this.hasError) {
      return;
    }
    if (!isMessageFromFrame(event, this._serviceOrigin, this.frameWindow)) {
      return;
    }
    const message = parseFrameMessage(event.data);
    if (!message) {
      return;
    }
    switch (message.type) {
      case MESSAGE_TYPES.READY:
        this.handleReady();
        break;
      case MESSAGE_TYPES.HEIGHT:
        this.frameHeight = message.height;
        break;
      case MESSAGE_TYPES.NAVIGATE:
        this[NavigationMixin.Navigate](recordPageReference(message.recordId, message.objectApiName));
        break;
      case MESSAGE_TYPES.TOKEN_EXPIRED:
        this.refreshToken();
        break;
      case MESSAGE_TYPES.ERROR:
        this.showError('Signalfit could not open', message.message);
        break;
      default:
        break;
    }
  }

  showError(title, message) {
    this._attempt += 1;
    this.clearReadyTimer();
    this._token = undefined;
    this._tokenPosted = false;
    this.errorTitle = title;
    this.errorMessage = message;
    this.status = STATUS.ERROR;
  }

  handleRetry() {
    this.start();
  }
}
