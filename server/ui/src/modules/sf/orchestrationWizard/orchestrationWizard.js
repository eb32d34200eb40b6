import { LightningElement, api } from 'lwc';
import { fetchSegments } from 'sf/segmentsApi';
import {
  createOrchestration,
  fetchOrchestration,
  fetchProviders,
  updateOrchestration,
} from 'sf/orchestrationsApi';
import {
  EMAIL_CONFIDENCES,
  ENGAGEMENT_GRADES,
  FIT_BANDS,
  LEAD_SOURCE,
  ORCHESTRATION_GOALS,
  SOURCE_TYPES,
  WEEKDAYS,
} from 'sf/vocabulary';
import {
  GOAL_LABELS,
  STEPS,
  TARGET_LABELS,
  blankForm,
  changesOf,
  definitionOf,
  describeDefinition,
  formOf,
  stepOfError,
  stepProblems,
  weekdayLabel,
} from 'sf/orchestrationDefinition';

/** Every field a problem can name, for its error class and message. */
const FIELDS = [
  'name',
  'segment',
  'provider',
  'campaignId',
  'sequenceId',
  'mailboxId',
  'geoInclude',
  'geoExclude',
  'maxPerAccount',
  'cooldownDays',
];
const SCHEDULE_KINDS = Object.freeze([
  { value: 'manual', label: 'Manual: only when someone presses Run now' },
  { value: 'daily', label: 'Daily, at 06:00 UTC' },
  { value: 'weekly', label: 'Weekly, on a day at 06:00 UTC' },
]);

/**
 * The orchestration wizard, in the reference guide's order: goal and name → segment → target
 * (and, to acquire, the provider and the mapping) → filters (or, to add to an audience, which of
 * the segment's people) → push settings → review. Each step is checked before the next; the
 * service's refusal of a save is shown at the step it concerns (its `details.path`). A new
 * orchestration is created (POST), an edited one changed where it changed (PATCH).
 */
export default class OrchestrationWizard extends LightningElement {
  @api client;
  /** The orchestration to edit; none for a new one. */
  @api orchestrationId;
  /** `can['orchestrations.restricted_regions']`: offers "allow restricted regions". */
  @api canRestrictedRegions = false;

  form = blankForm();
  stepIndex = 0;
  problems = {};
  serverError;
  segments = [];
  providers = [];
  providersError;
  before;
  loading = false;
  loadError;
  saving = false;

  connectedCallback() {
    this.loadChoices();
    if (this.orchestrationId) {
      this.loadOrchestration();
    }
  }

  async loadChoices() {
    try {
      const { segments } = await this.client.call((token) => fetchSegments(token));
      this.segments = [...segments].sort((a, b) => a.name.localeCompare(b.name));
    } catch (error) {
      this.loadError = `The segments could not be read: ${error.message}`;
    }
    try {
      const { providers } = await this.client.call((token) => fetchProviders(token));
      this.providers = providers;
    } catch (error) {
      this.providersError = `The providers could not be read: ${error.message}`;
    }
  }

  async loadOrchestration() {
    this.loading = true;
    try {
      const { orchestration } = await this.client.call((token) =>
        fetchOrchestration(this.orchestrationId, token),
      );
      this.before = orchestration;
      this.form = formOf(orchestration);
    } catch (error) {
      this.loadError = error.message;
    }
    this.loading = false;
  }

  get isEdit() {
    return !!this.orchestrationId;
  }
  get heading() {
    return this.isEdit
      ? `Edit orchestration${this.before ? `: ${this.before.name}` : ''}`
      : 'New orchestration';
  }
  get showForm() {
    return !this.loading && !(this.isEdit && !this.before);
  }
  get step() {
    return STEPS[this.stepIndex].name;
  }
  get stepLabel() {
    return `Step ${this.stepIndex + 1} of ${STEPS.length}: ${STEPS[this.stepIndex].label}`;
  }
  get steps() {
    return STEPS.map((step, index) => ({
      ...step,
      number: index + 1,
      current: index === this.stepIndex ? 'step' : undefined,
      className: `slds-progress__item${index < this.stepIndex ? ' slds-is-completed' : ''}${
        index === this.stepIndex ? ' slds-is-active' : ''
      }`,
      disabled: index > this.stepIndex,
      text: `${index + 1}. ${step.label}`,
    }));
  }
  get isGoal() {
    return this.step === 'goal';
  }
  get isSegment() {
    return this.step === 'segment';
  }
  get isTarget() {
    return this.step === 'target';
  }
  get isFilters() {
    return this.step === 'filters';
  }
  get isPush() {
    return this.step === 'push';
  }
  get isReview() {
    return this.step === 'review';
  }
  get isFirstStep() {
    return this.stepIndex === 0;
  }
  get acquire() {
    return this.form.goal === 'acquire_contacts';
  }
  get errors() {
    return this.problems;
  }
  /** `{ field: 'slds-form-element slds-has-error' | 'slds-form-element' }`. */
  get classes() {
    return Object.fromEntries(
      FIELDS.map((field) => [field, `slds-form-element${this.problems[field] ? ' slds-has-error' : ''}`]),
    );
  }
  get stepError() {
    return this.serverError && this.serverError.step === this.step ? this.serverError.message : undefined;
  }

  get goalOptions() {
    return ORCHESTRATION_GOALS.map((goal) => ({
      value: goal,
      id: `goal-${goal}`,
      label: GOAL_LABELS[goal],
      checked: this.form.goal === goal,
    }));
  }
  get segmentOptions() {
    return this.segments.map((s) => ({
      value: String(s.id),
      label: s.name,
      selected: String(s.id) === this.form.segment,
    }));
  }
  get selectedSegmentName() {
    const segment = this.segments.find((s) => String(s.id) === this.form.segment);
    return segment ? segment.name : (this.before && this.before.segment && this.before.segment.name) || '';
  }
  get targetOptions() {
    const types = this.acquire
      ? ['salesforce_campaign', 'outreach_sequence', 'csv']
      : ['salesforce_campaign', 'outreach_sequence'];
    return types.map((type) => ({
      value: type,
      id: `target-${type}`,
      label: TARGET_LABELS[type],
      checked: this.form.targetType === type,
    }));
  }
  get isSalesforce() {
    return this.form.targetType === 'salesforce_campaign';
  }
  get isOutreach() {
    return this.form.targetType === 'outreach_sequence';
  }
  get createOptions() {
    return [
      {
        value: 'lead',
        id: 'create-lead',
        label: 'Leads (Company from the account)',
        checked: this.form.create === 'lead',
      },
      {
        value: 'contact',
        id: 'create-contact',
        label: 'Contacts under the account (it needs a Salesforce id)',
        checked: this.form.create === 'contact',
      },
    ];
  }
  get providerOptions() {
    return this.providers.map((p) => ({
      value: p.name,
      label: p.name,
      selected: p.name === this.form.provider,
    }));
  }
  get noProviders() {
    return !this.providersError && this.providers.length === 0;
  }
  get showMapping() {
    return this.acquire && this.isSalesforce;
  }
  get mappingText() {
    return `Each Lead or Contact created gets LeadSource “${LEAD_SOURCE}” and the package field Signalfit_Source_Type__c “${SOURCE_TYPES[0]}”.`;
  }
  get confidenceOptions() {
    return [
      { value: '', label: 'Any', selected: !this.form.minEmailConfidence },
      ...EMAIL_CONFIDENCES.map((grade) => ({
        value: grade,
        label: grade === 'A' ? 'A only' : `${grade} or better`,
        selected: this.form.minEmailConfidence === grade,
      })),
    ];
  }
  get gradeOptions() {
    return this.checkOptions('grades', ENGAGEMENT_GRADES, (g) => `Grade ${g}`);
  }
  get fitOptions() {
    return this.checkOptions('fits', FIT_BANDS, (f) => `${f} fit`);
  }
  checkOptions(field, values, label) {
    return values.map((value) => ({
      value,
      id: `${field}-${value}`,
      label: label(value),
      checked: this.form[field].includes(value),
    }));
  }
  get scheduleOptions() {
    return SCHEDULE_KINDS.map((kind) => ({
      ...kind,
      id: `schedule-${kind.value}`,
      checked: this.form.scheduleKind === kind.value,
    }));
  }
  get isWeekly() {
    return this.form.scheduleKind === 'weekly';
  }
  get weekdayOptions() {
    return WEEKDAYS.map((day) => ({
      value: day,
      label: weekdayLabel(day),
      selected: this.form.weekday === day,
    }));
  }
  get summary() {
    return describeDefinition(definitionOf(this.form), {
      segment: this.selectedSegmentName,
      provider: this.form.provider,
    }).map((line) => ({ ...line, detailKey: `${line.key}-detail` }));
  }
  get saveLabel() {
    return this.isEdit ? 'Save changes' : 'Save orchestration';
  }
  get cancelHref() {
    return this.isEdit ? `/orchestrations/${encodeURIComponent(this.orchestrationId)}` : '/orchestrations';
  }

  setForm(changes) {
    this.form = { ...this.form, ...changes };
    // A fixed field's message goes away as it is fixed.
    const left = { ...this.problems };
    for (const key of Object.keys(changes)) {
      delete left[key];
    }
    this.problems = left;
  }

  handleField(event) {
    const input = event.currentTarget;
    const field = input.dataset.field;
    if (input.type === 'checkbox') {
      this.setForm({ [field]: input.checked });
    } else {
      this.setForm({ [field]: input.value });
    }
  }

  handleGoal(event) {
    const goal = event.currentTarget.value;
    const changes = { goal };
    if (goal === 'add_to_audience' && this.form.targetType === 'csv') {
      changes.targetType = 'salesforce_campaign';
    }
    this.setForm(changes);
  }

  handleChoice(event) {
    const input = event.currentTarget;
    const field = input.dataset.field;
    const values = this.form[field].filter((value) => value !== input.value);
    this.setForm({ [field]: input.checked ? [...values, input.value] : values });
  }

  handleTitles(event) {
    this.setForm({ titles: event.detail.entries });
  }

  /** Checks the current step; true when it may be left. */
  checkStep() {
    this.problems = stepProblems(this.step, this.form);
    if (Object.keys(this.problems).length === 0) {
      return true;
    }
    this.focusFirstProblem();
    return false;
  }

  focusFirstProblem() {
    Promise.resolve().then(() => {
      const field = this.template.querySelector('.slds-has-error input, .slds-has-error select');
      if (field) {
        field.focus();
      }
    });
  }

  handleNext() {
    if (this.checkStep()) {
      this.stepIndex += 1;
    }
  }

  handleBack() {
    this.problems = {};
    this.stepIndex -= 1;
  }

  handleStep(event) {
    const index = Number(event.currentTarget.dataset.index) - 1;
    if (index < this.stepIndex) {
      this.problems = {};
      this.stepIndex = index;
    }
  }

  /** The first step whose checks fail, or -1. */
  firstStepWithProblems() {
    return STEPS.findIndex((step) => Object.keys(stepProblems(step.name, this.form)).length > 0);
  }

  async handleSave() {
    this.serverError = undefined;
    const broken = this.firstStepWithProblems();
    if (broken >= 0) {
      this.stepIndex = broken;
      this.checkStep();
      return;
    }
    let save;
    if (this.isEdit) {
      const changes = changesOf(this.form, this.before);
      if (Object.keys(changes).length === 0) {
        this.navigate(this.cancelHref);
        return;
      }
      save = (token) => updateOrchestration(this.orchestrationId, changes, token);
    } else {
      const definition = definitionOf(this.form);
      save = (token) => createOrchestration(definition, token);
    }
    this.saving = true;
    try {
      const { orchestration } = await this.client.call(save);
      this.navigate(`/orchestrations/${encodeURIComponent(orchestration.id)}`);
    } catch (error) {
      const step = stepOfError(error.details);
      this.serverError = { step, message: error.message };
      this.stepIndex = STEPS.findIndex((s) => s.name === step);
    }
    this.saving = false;
  }

  handleCancel(event) {
    event.preventDefault();
    this.navigate(this.cancelHref);
  }

  navigate(path) {
    this.dispatchEvent(new CustomEvent('navigate', { detail: { path } }));
  }
}
