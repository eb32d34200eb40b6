import { LightningElement, api } from 'lwc';
import { formatDate } from 'sf/format';
import { BUYING_STAGES } from 'sf/vocabulary';

const FIT_CLASS = { Strong: 'sf-good', Moderate: 'sf-medium', Weak: 'sf-weak' };
const REACH_CLASS = { High: 'sf-good', Medium: 'sf-medium', Low: 'sf-weak' };

/** The account's scores as tiles: profile fit, intent, buying stage, reach, qualified. */
export default class ScoreTiles extends LightningElement {
  @api scores;

  get tiles() {
    const s = this.scores;
    return [
      {
        key: 'fit',
        label: 'Profile fit',
        value: s.profileFit || 'Unknown',
        detail: s.profileScore == null ? 'no profile score' : `${s.profileScore} / 100`,
        valueClass: `sf-tile__value ${FIT_CLASS[s.profileFit] || ''}`,
      },
      {
        key: 'intent',
        label: 'Intent score',
        value: String(s.intentScore),
        detail: 'out of 100',
        valueClass: `sf-tile__value ${s.intentScore >= 70 ? 'sf-good' : s.intentScore >= 40 ? 'sf-medium' : 'sf-weak'}`,
      },
      {
        key: 'reach',
        label: 'Reach',
        value: s.reach,
        detail: 'our recent touches',
        valueClass: `sf-tile__value ${REACH_CLASS[s.reach] || ''}`,
      },
      {
        key: 'qualified',
        label: 'Qualified',
        value: s.qualified ? 'Yes' : 'No',
        detail:
          s.qualified && s.qualifiedSince
            ? `since ${formatDate(s.qualifiedSince)}`
            : 'fit and late stage needed',
        valueClass: `sf-tile__value ${s.qualified ? 'sf-good' : ''}`,
      },
    ];
  }

  /** The buying stages as an SLDS path; the current one is marked for screen readers too. */
  get stages() {
    const current = BUYING_STAGES.indexOf(this.scores.buyingStage);
    return BUYING_STAGES.map((stage, index) => {
      let state = 'slds-is-incomplete';
      if (index < current) {
        // Not slds-is-complete: SLDS hides a completed stage's name, and the names tell the story here.
        state = 'slds-is-incomplete sf-stage_passed';
      } else if (index === current) {
        state = 'slds-is-current slds-is-active';
      }
      return {
        stage,
        className: `slds-path__item ${state}`,
        current: index === current ? 'step' : undefined,
        assistive: index === current ? 'Current stage:' : index < current ? 'Stage passed:' : 'Stage ahead:',
      };
    });
  }

  get stagePosition() {
    return `stage ${BUYING_STAGES.indexOf(this.scores.buyingStage) + 1} of ${BUYING_STAGES.length}`;
  }

  get stageSummary() {
    return `Buying stage: ${this.scores.buyingStage}`;
  }
}
