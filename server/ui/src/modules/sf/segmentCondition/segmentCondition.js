import { LightningElement, api } from 'lwc';
import {
  ACTIVITY_TYPE_OPTIONS,
  FIELD_GROUPS,
  FIT_OPTIONS,
  GRADE_OPTIONS,
  OP_LABELS,
  OPPORTUNITY_STATUS_LABELS,
  fieldKind,
  fieldLabel,
  opsOf,
  orderedValues,
  withField,
} from 'sf/segmentDefinition';

const LIST_OPS = new Set(['in', 'not_in', 'has_any', 'has_all', 'has_none']);
const INPUT_TYPES = Object.freeze({ number: 'number', date: 'date', text: 'text', list: 'text' });

/**
 * One condition of the segment builder: a field picker, an operator picker limited to the
 * field's operators, and value inputs by kind (a pick list for ordered fields and booleans, two
 * inputs for `between`, a comma list or a multi-select for `in`, none for `exists`; activity,
 * keyword research, opportunity, person and segment conditions have their own inputs). It edits a
 * draft of sf/segmentDefinition and sends every change up as `conditionchange` ({ condition }).
 */
export default class SegmentCondition extends LightningElement {
  /** The draft (sf/segmentDefinition). */
  @api condition;
  /** Names the condition for its inputs' group, e.g. "Condition 1.2". */
  @api label;
  /** The service's message when this condition is the invalid one. */
  @api errorMessage;
  /** Names of the segments a `segment` condition can refer to. */
  @api segmentNames = [];

  get fieldsetClass() {
    return `slds-form-element sf-condition${this.errorMessage ? ' slds-has-error sf-condition_invalid' : ''}`;
  }
  get field() {
    return this.condition.field;
  }
  get kind() {
    return fieldKind(this.field);
  }
  get fieldGroups() {
    return FIELD_GROUPS.map((group) => ({
      label: group.label,
      options: group.fields.map((field) => ({
        value: field,
        label: fieldLabel(field),
        selected: field === this.field,
      })),
    }));
  }
  get isCrm() {
    return this.field === 'crm';
  }
  get isActivity() {
    return this.field === 'activity';
  }
  get isKeywordResearched() {
    return this.field === 'keyword_researched';
  }
  get isOpportunity() {
    return this.field === 'opportunity';
  }
  get isPerson() {
    return this.field === 'person';
  }
  get isSegment() {
    return this.field === 'segment';
  }
  /** Plain fields and segment references pick an operator. */
  get hasOperator() {
    return this.kind !== null || this.isSegment;
  }
  get opOptions() {
    return opsOf(this.field).map((op) => ({
      value: op,
      label: this.isSegment ? (op === 'in' ? 'is in' : 'is not in') : OP_LABELS[op],
      selected: op === this.condition.op,
    }));
  }
  get op() {
    return this.condition.op;
  }
  get isPlain() {
    return this.kind !== null;
  }
  get needsValue() {
    return this.isPlain && this.op !== 'exists';
  }
  get isOrdered() {
    return this.kind === 'ordered';
  }
  get isBoolean() {
    return this.kind === 'boolean';
  }
  get isBetween() {
    return this.needsValue && this.op === 'between';
  }
  get isMultiPick() {
    return this.needsValue && this.isOrdered && LIST_OPS.has(this.op);
  }
  get isCommaList() {
    return this.needsValue && !this.isOrdered && LIST_OPS.has(this.op);
  }
  get isSinglePick() {
    return (
      this.needsValue && (this.isOrdered || this.isBoolean) && !LIST_OPS.has(this.op) && this.op !== 'between'
    );
  }
  get isSingleInput() {
    return (
      this.needsValue && !this.isOrdered && !this.isBoolean && !LIST_OPS.has(this.op) && this.op !== 'between'
    );
  }
  get isBetweenPick() {
    return this.isBetween && this.isOrdered;
  }
  get isBetweenInput() {
    return this.isBetween && !this.isOrdered;
  }
  get inputType() {
    return INPUT_TYPES[this.kind] || 'text';
  }
  get listPlaceholder() {
    return this.kind === 'number' ? 'e.g. 100, 250' : 'Comma-separated, e.g. aws, snowflake';
  }
  pickOptions(current) {
    const values = this.isBoolean
      ? [
          { value: 'true', label: 'Yes' },
          { value: 'false', label: 'No' },
        ]
      : orderedValues(this.field).map((value) => ({ value, label: value }));
    return [{ value: '', label: 'Choose…' }, ...values].map((o) => ({ ...o, selected: o.value === current }));
  }
  get singleOptions() {
    return this.pickOptions(this.condition.value);
  }
  get lowOptions() {
    return this.pickOptions(this.condition.value);
  }
  get highOptions() {
    return this.pickOptions(this.condition.value2);
  }
  get multiOptions() {
    return orderedValues(this.field).map((value) => ({
      value,
      label: value,
      selected: this.condition.values.includes(value),
    }));
  }
  get typeOptions() {
    return ACTIVITY_TYPE_OPTIONS.map((o) => ({ ...o, selected: this.condition.types.includes(o.value) }));
  }
  get statusOptions() {
    return Object.entries(OPPORTUNITY_STATUS_LABELS).map(([value, label]) => ({
      value,
      label: `${label[0].toUpperCase()}${label.slice(1)}`,
      selected: value === this.condition.status,
    }));
  }
  get relevantOptions() {
    return [
      { value: '', label: 'Any opportunity' },
      { value: 'true', label: 'Relevant only' },
      { value: 'false', label: 'Not relevant only' },
    ].map((o) => ({ ...o, selected: o.value === this.condition.relevant }));
  }
  get gradeOptions() {
    return GRADE_OPTIONS.map((value) => ({
      value,
      label: value,
      selected: this.condition.grades.includes(value),
    }));
  }
  get fitOptions() {
    return FIT_OPTIONS.map((value) => ({
      value,
      label: value,
      selected: this.condition.fits.includes(value),
    }));
  }
  get segmentOptions() {
    const names = [...(this.segmentNames || [])];
    // A reference to a segment not in the list (renamed, or not loaded yet) still shows.
    if (this.condition.value && !names.includes(this.condition.value)) {
      names.unshift(this.condition.value);
    }
    return [
      { value: '', label: 'Choose a segment…' },
      ...names.map((name) => ({ value: name, label: name })),
    ].map((o) => ({ ...o, selected: o.value === this.condition.value }));
  }

  emit(condition) {
    this.dispatchEvent(new CustomEvent('conditionchange', { detail: { condition } }));
  }

  handleField(event) {
    this.emit(withField(this.condition, event.target.value));
  }

  /** A text, number, date or single pick: `data-name` is the draft's property. */
  handleValue(event) {
    this.emit({ ...this.condition, [event.target.dataset.name]: event.target.value });
  }

  /** A multi-select: the chosen values as a list. */
  handleMulti(event) {
    const chosen = [...event.target.selectedOptions].map((o) => o.value);
    this.emit({ ...this.condition, [event.target.dataset.name]: chosen });
  }

  handleOp(event) {
    const op = event.target.value;
    // A single value becomes the low end of a range and back; lists start over.
    this.emit({ ...this.condition, op, value2: op === 'between' ? this.condition.value2 : '' });
  }

  handleRemove() {
    this.dispatchEvent(new CustomEvent('remove'));
  }
}
