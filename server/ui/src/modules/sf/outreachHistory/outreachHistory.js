import { LightningElement, api } from 'lwc';
import { RESULT_LABELS, fetchEnrollmentHistory } from 'sf/outreachApi';
import { formatDate } from 'sf/format';

/** A person's Outreach enrollment attempts, newest first: who, which sequence, what came of it. */
export default class OutreachHistory extends LightningElement {
  @api personId;
  @api accessToken;

  attempts = [];
  loaded = false;
  errorMessage = '';

  connectedCallback() {
    this.refresh();
  }

  @api async refresh() {
    try {
      const history = await fetchEnrollmentHistory(this.accessToken, this.personId);
      this.attempts = history.attempts;
      this.errorMessage = '';
    } catch (error) {
      this.errorMessage = error.message;
    }
    this.loaded = true;
  }

  get hasAttempts() {
    return this.attempts.length > 0;
  }

  get rows() {
    return this.attempts.map((a, index) => ({
      key: `${a.attemptedAt}-${index}`,
      when: formatDate(a.attemptedAt),
      sequence: a.sequenceName || `Sequence ${a.sequenceId}`,
      code: a.result,
      label: RESULT_LABELS[a.result] || a.result,
      by: a.by ? `by ${a.by}` : '',
      // Outreach's words for a refusal; for an opt-out, which address and which record.
      detail: ['outreach_validation_failed', 'person_opted_out'].includes(a.result) ? a.detail || '' : '',
    }));
  }
}
