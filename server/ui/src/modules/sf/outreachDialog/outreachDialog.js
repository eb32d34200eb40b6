import { LightningElement, api } from 'lwc';
import {
  RESULT_LABELS,
  createConnectLink,
  enrollInSequence,
  fetchMailboxes,
  fetchOutreachStatus,
  fetchSequences,
  newIdempotencyKey,
} from 'sf/outreachApi';
import { plural } from 'sf/format';

/** How long the dialog waits for the Outreach sign-in window to finish, and how often it checks. */
const CONNECT_WAIT_MS = 180000;
const CONNECT_POLL_MS = 2000;
const SEARCH_DELAY_MS = 300;

/**
 * "Add to Outreach sequence": connects Outreach when needed, lets the user pick an enabled
 * sequence (search by name) and a mailbox (their own by default), sends the people and shows
 * Outreach's answer per person. Fires `close` (detail: { enrolled }) when dismissed.
 */
export default class OutreachDialog extends LightningElement {
  /** [{ id, name }] of the people to enroll (opted-out people are never offered). */
  @api people = [];
  @api accessToken;

  state = 'loading';
  errorMessage = '';
  sequences = [];
  search = '';
  sequenceId = null;
  mailboxes = [];
  mailboxId = null;
  results = [];
  _key = null;
  _searchTimer;
  _pollTimer;

  connectedCallback() {
    this.load();
  }

  disconnectedCallback() {
    clearTimeout(this._searchTimer);
    clearInterval(this._pollTimer);
  }

  get peopleText() {
    return `${plural(this.people.length, 'person', 'people')}: ${this.people.map((p) => p.name).join(', ')}`;
  }
  get isLoading() {
    return this.state === 'loading' || this.state === 'sending';
  }
  get loadingText() {
    return this.state === 'sending' ? 'Adding to the sequence…' : 'Loading Outreach…';
  }
  get isConnect() {
    return this.state === 'connect' || this.state === 'connecting';
  }
  get isConnecting() {
    return this.state === 'connecting';
  }
  get isForm() {
    return this.state === 'form';
  }
  get isResults() {
    return this.state === 'results';
  }
  get isError() {
    return this.state === 'error';
  }
  get hasSequences() {
    return this.sequences.length > 0;
  }
  get sequenceOptions() {
    return this.sequences.map((s) => ({
      ...s,
      checked: s.id === this.sequenceId,
      inputId: `sequence-${s.id}`,
    }));
  }
  get mailboxOptions() {
    return this.mailboxes.map((m) => ({
      id: m.id,
      label: m.email || `Mailbox ${m.id}`,
      selected: m.id === this.mailboxId,
    }));
  }
  get submitDisabled() {
    return !this.sequenceId || !this.mailboxId;
  }
  get submitLabel() {
    return `Add ${plural(this.people.length, 'person', 'people')}`;
  }
  get resultRows() {
    return this.results.map((r) => ({
      key: r.personId,
      name: r.name || (this.people.find((p) => p.id === r.personId) || {}).name || r.personId,
      code: r.result,
      label: RESULT_LABELS[r.result] || r.result,
      detail: r.detail || (r.retryAt ? `Try again after ${new Date(r.retryAt).toLocaleTimeString()}` : ''),
      badgeClass: `slds-badge ${r.result === 'enrolled' ? 'slds-theme_success' : r.result === 'already_enrolled' ? 'slds-badge_lightest' : 'slds-theme_warning'}`,
    }));
  }
  get summaryText() {
    const enrolled = this.results.filter((r) => r.result === 'enrolled').length;
    return `${plural(enrolled, 'person', 'people')} added to the sequence.`;
  }

  async load() {
    this.state = 'loading';
    try {
      const status = await fetchOutreachStatus(this.accessToken);
      if (!status.configured) {
        this.fail('Outreach is not set up on this Signalfit service. Ask your administrator.');
        return;
      }
      if (!status.connected) {
        this.state = 'connect';
        return;
      }
      const [sequences, mailboxes] = await Promise.all([
        fetchSequences(this.accessToken, this.search),
        fetchMailboxes(this.accessToken),
      ]);
      this.sequences = sequences.sequences;
      this.mailboxes = mailboxes.mailboxes.filter((m) => !m.sendDisabled);
      this.mailboxId = mailboxes.defaultMailboxId;
      this.state = 'form';
    } catch (error) {
      if (error.code === 'outreach_not_connected') {
        this.state = 'connect';
      } else {
        this.fail(error.message);
      }
    }
  }

  fail(message) {
    this.errorMessage = message;
    this.state = 'error';
  }

  async handleConnect() {
    // Opened now, in the click, so that the browser allows it; pointed at Outreach once the link is ready.
    const popup = window.open('', 'signalfit-outreach', 'popup,width=640,height=760');
    let link;
    try {
      link = await createConnectLink(this.accessToken);
    } catch (error) {
      if (popup) popup.close();
      this.fail(error.message);
      return;
    }
    const url = new URL(link.connectUrl, window.location.href).href;
    if (popup) {
      popup.location.href = url;
    } else {
      window.open(url, '_blank');
    }
    this.state = 'connecting';
    const started = Date.now();
    clearInterval(this._pollTimer);
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this._pollTimer = setInterval(async () => {
      if (Date.now() - started > CONNECT_WAIT_MS) {
        clearInterval(this._pollTimer);
        this.state = 'connect';
        return;
      }
      try {
        const status = await fetchOutreachStatus(this.accessToken);
        if (status.connected) {
          clearInterval(this._pollTimer);
          this.load();
        }
      } catch {
        // Keep waiting; the next check may work.
      }
    }, CONNECT_POLL_MS);
  }

  handleSearch(event) {
    this.search = event.target.value;
    clearTimeout(this._searchTimer);
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this._searchTimer = setTimeout(async () => {
      try {
        this.sequences = (await fetchSequences(this.accessToken, this.search)).sequences;
      } catch (error) {
        this.fail(error.message);
      }
    }, SEARCH_DELAY_MS);
  }

  handleSequence(event) {
    this.sequenceId = event.target.value;
    this._key = null;
  }

  handleMailbox(event) {
    this.mailboxId = event.target.value;
    this._key = null;
  }

  async handleSubmit() {
    const sequence = this.sequences.find((s) => s.id === this.sequenceId);
    // The same submission retried (after a lost answer) carries the same key: nothing twice.
    this._key = this._key || newIdempotencyKey();
    this.state = 'sending';
    try {
      const answer = await enrollInSequence(
        this.accessToken,
        {
          people: this.people.map((p) => p.id),
          sequenceId: this.sequenceId,
          mailboxId: this.mailboxId,
          sequenceName: sequence ? sequence.name : undefined,
        },
        this._key,
      );
      this.results = answer.results;
      this.state = 'results';
    } catch (error) {
      this.fail(error.message);
    }
  }

  handleRetry() {
    this.load();
  }

  handleClose() {
    const enrolled = this.results.some((r) => r.result === 'enrolled');
    this.dispatchEvent(new CustomEvent('close', { detail: { enrolled } }));
  }

  handleKeydown(event) {
    if (event.key === 'Escape') {
      this.handleClose();
    }
  }
}
