import { LightningElement, api } from 'lwc';

/**
 * The Reports section's landing page (`/reports`): segment performance for every role, model
 * insights when the session allows it (`can['reports.model']`).
 */
export default class ReportsPage extends LightningElement {
  @api can = {};

  get canViewModel() {
    return !!(this.can && this.can['reports.model']);
  }

  handleOpen(event) {
    event.preventDefault();
    this.dispatchEvent(
      new CustomEvent('navigate', { detail: { path: event.currentTarget.getAttribute('href') } }),
    );
  }
}
