import { LightningElement, api } from 'lwc';

/** The signals behind a score, strongest first; up arrows raised it, down arrows lowered it. */
export default class ReasonList extends LightningElement {
  @api title;
  @api reasons = [];

  get hasReasons() {
    return Array.isArray(this.reasons) && this.reasons.length > 0;
  }

  get items() {
    return this.reasons.map((reason, index) => {
      const helps = reason.weight >= 0;
      return {
        key: `${index}-${reason.text}`,
        text: reason.text,
        icon: helps ? 'utility:arrowup' : 'utility:arrowdown',
        variant: helps ? 'success' : 'warning',
        effect: helps ? 'raises the score' : 'lowers the score',
      };
    });
  }
}
