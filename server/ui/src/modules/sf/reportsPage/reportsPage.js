import { LightningElement, api } from 'lwc';

/**
 * The Reports section's landing page (`/reports`): segment performance for every role, model
 * insights when the session allows it (`can['reports.model']`), and the Models page
 * (`can['models.view']`).
 */
export default class ReportsPage extends LightningElement {
  @api can = {};

  get canViewModel() {
    return !!(this.can && this.can['reports.model']);
  }

  get canViewModels() {
    return !!(this.can && this.can['models.view']);
  }

  handleOpen(event) {
    event.preventDefault();
    this.dispatchEvent(
      new CustomEvent('navigate', { detail: { path: event.currentTarget.getAttribute('href') } }),
    );
  }
}
