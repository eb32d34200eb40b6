import { LightningElement, api } from 'lwc';
import { fetchOffboarding, markOffboardingStep } from 'sf/offboardingApi';
import { formatDate } from 'sf/format';

/**
 * The Admin's offboarding checklist (docs/offboarding.md): each step, whether and when it was
 * done and by whom, and the exact command that does it. The manual steps (opt-out review,
 * credits) are marked done here; the others are done by their commands on the service's machine.
 */
export default class OffboardingPage extends LightningElement {
  /** `{ call(request) }` from the app shell. */
  @api client;

  steps = [];
  loaded = false;
  error;
  marking = '';

  connectedCallback() {
    this.load();
  }

  async load() {
    this.error = undefined;
    try {
      const answer = await this.client.call((token) => fetchOffboarding(token));
      this.steps = answer.steps;
    } catch (error) {
      this.error = `The checklist could not be read: ${error.message}`;
    }
    this.loaded = true;
  }

  get rows() {
    return this.steps.map((step, index) => ({
      ...step,
      number: index + 1,
      stateText: step.done ? `Done ${formatDate(step.at)} by ${step.by}` : 'Not done',
      stateClass: `slds-badge${step.done ? ' slds-theme_success' : ''}`,
      canMark: step.manual && !step.done,
      isOptOuts: step.id === 'opt-outs',
      marking: this.marking === step.id,
    }));
  }

  async handleMark(event) {
    const step = event.currentTarget.dataset.step;
    this.marking = step;
    this.error = undefined;
    try {
      const answer = await this.client.call((token) => markOffboardingStep(step, token));
      this.steps = answer.steps;
    } catch (error) {
      this.error = `The step could not be marked done: ${error.message}`;
    }
    this.marking = '';
  }
}
