import { LightningElement, api } from 'lwc';

/**
 * A confirmation in a modal (the SLDS prompt, as sf-report-drill and sf-outreach-dialog draw
 * their modals): a heading, what will change, and the action's button beside Cancel. Focus starts
 * on Cancel and stays inside while it is open (Tab and Shift+Tab go round); Escape cancels. Fires
 * `confirm` or `cancel`; the opener removes it and puts the focus back where it was.
 */
export default class ConfirmDialog extends LightningElement {
  @api heading;
  /** What will change, in words. */
  @api message;
  @api confirmLabel = 'Confirm';
  /** `brand` or `destructive` (the confirm button's look). */
  @api variant = 'brand';
  /** While the action runs: both buttons disabled. */
  @api busy = false;

  _focused = false;

  renderedCallback() {
    if (!this._focused) {
      const cancel = this.template.querySelector('[data-id="cancel"]');
      if (cancel) {
        cancel.focus();
        this._focused = true;
      }
    }
  }

  get confirmClass() {
    return `slds-button ${this.variant === 'destructive' ? 'slds-button_destructive' : 'slds-button_brand'}`;
  }

  handleKeydown(event) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      this.handleCancel();
      return;
    }
    if (event.key !== 'Tab') {
      return;
    }
    const buttons = [...this.template.querySelectorAll('button')].filter((button) => !button.disabled);
    if (buttons.length === 0) {
      event.preventDefault();
      return;
    }
    const first = buttons[0];
    const last = buttons[buttons.length - 1];
    const current = this.template.activeElement;
    if (event.shiftKey && (current === first || !buttons.includes(current))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (current === last || !buttons.includes(current))) {
      event.preventDefault();
      first.focus();
    }
  }

  handleCancel() {
    if (!this.busy) {
      this.dispatchEvent(new CustomEvent('cancel'));
    }
  }

  handleConfirm() {
    if (!this.busy) {
      this.dispatchEvent(new CustomEvent('confirm'));
    }
  }
}
