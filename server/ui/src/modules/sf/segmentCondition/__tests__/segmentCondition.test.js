import { createElement } from 'lwc';
import SegmentCondition from 'sf/segmentCondition';
import { newCondition, withField } from 'sf/segmentDefinition';
import { clearBody, flushPromises, textOf } from '../../../../../test/lwcTesting';

async function render(condition, props = {}) {
  const element = createElement('sf-segment-condition', { is: SegmentCondition });
  Object.assign(element, {
    condition,
    label: 'Condition 2',
    segmentNames: ['Customers', 'EMEA software'],
    ...props,
  });
  const changes = [];
  element.addEventListener('conditionchange', (event) => changes.push(event.detail.condition));
  document.body.appendChild(element);
  await flushPromises();
  return { element, changes };
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const options = (select) => [...select.querySelectorAll('option')].map((o) => o.textContent.trim());
/** Every input and select with the text of its label (for / id), to check none is unlabelled. */
const labelled = (element) =>
  [...element.shadowRoot.querySelectorAll('input, select')].map((input) => {
    const label = element.shadowRoot.querySelector(`label[for="${input.id}"]`);
    return label ? textOf(label) : null;
  });
const draft = (field, changes = {}) => ({ ...withField(newCondition(), field), ...changes });

function change(input, value, type = 'change') {
  input.value = value;
  input.dispatchEvent(new CustomEvent(type));
}

afterEach(clearBody);

describe('sf-segment-condition', () => {
  it('groups the fields in the picker and offers only the operators of the field', async () => {
    const { element } = await render(draft('qualified'));
    const groups = [...element.shadowRoot.querySelectorAll('optgroup')].map((g) => g.label);
    expect(groups).toEqual(['Account', 'Scores', 'Behaviour', 'Other']);
    expect($(element, '[data-id="field"]').value).toBe('qualified');
    expect(options($(element, '[data-id="op"]'))).toEqual(['is', 'is not', 'has a value']);
    expect(options($(element, '[data-id="value"]'))).toEqual(['Choose…', 'Yes', 'No']);
    expect(textOf($(element, 'legend'))).toBe('Condition 2');
    expect(labelled(element)).toEqual(['Field', 'Operator', 'Value']);
  });

  it("picks an ordered field's values from the vocabulary: one, several for in, two for between", async () => {
    let { element } = await render(draft('buying_stage', { value: 'Decision' }));
    expect(options($(element, '[data-id="value"]'))).toEqual([
      'Choose…',
      'Target',
      'Awareness',
      'Consideration',
      'Decision',
      'Purchase',
    ]);
    expect($(element, '[data-id="value"]').value).toBe('Decision');
    clearBody();

    ({ element } = await render(draft('profile_fit', { op: 'in', values: ['Strong'] })));
    const multi = $(element, '[data-id="values"]');
    expect(multi.multiple).toBe(true);
    expect(options(multi)).toEqual(['Weak', 'Moderate', 'Strong']);
    expect([...multi.selectedOptions].map((o) => o.value)).toEqual(['Strong']);
    clearBody();

    ({ element } = await render(draft('reach', { op: 'between', value: 'Low', value2: 'Medium' })));
    expect($(element, '[data-id="low"]').value).toBe('Low');
    expect($(element, '[data-id="high"]').value).toBe('Medium');
    expect(labelled(element)).toEqual(['Field', 'Operator', 'From', 'To']);
  });

  it('shows a number input, two for between, a comma list for in and none for exists', async () => {
    let { element } = await render(draft('employees', { op: 'between', value: '100', value2: '' }));
    expect([$(element, '[data-id="low"]').type, $(element, '[data-id="high"]').type]).toEqual([
      'number',
      'number',
    ]);
    clearBody();
    ({ element } = await render(draft('country', { op: 'in', value: 'DE, FR' })));
    expect(labelled(element)).toEqual(['Field', 'Operator', 'Values (comma-separated)']);
    expect($(element, '[data-id="value"]').value).toBe('DE, FR');
    clearBody();
    ({ element } = await render(draft('created_at', { op: 'exists' })));
    expect(labelled(element)).toEqual(['Field', 'Operator']);
    clearBody();
    ({ element } = await render(draft('qualified_since', { op: 'gte' })));
    expect($(element, '[data-id="value"]').type).toBe('date');
  });

  it('sends each change up: a new field resets the values, a typed value is kept as text', async () => {
    const { element, changes } = await render(draft('intent_score', { op: 'gte', value: '70' }));
    change($(element, '[data-id="value"]'), '75', 'input');
    expect(changes[0]).toMatchObject({ field: 'intent_score', op: 'gte', value: '75' });
    change($(element, '[data-id="field"]'), 'technologies');
    expect(changes[1]).toMatchObject({ field: 'technologies', op: 'has_any', value: '' });
    change($(element, '[data-id="op"]'), 'between');
    expect(changes[2]).toMatchObject({ op: 'between', value: '70' });
  });

  it('reads a multi-select as a list', async () => {
    const { element, changes } = await render(draft('buying_stage', { op: 'in' }));
    const multi = $(element, '[data-id="values"]');
    multi.options[3].selected = true;
    multi.options[4].selected = true;
    multi.dispatchEvent(new CustomEvent('change'));
    expect(changes[0].values).toEqual(['Decision', 'Purchase']);
  });

  it('asks an activity condition for types, sources, keywords, URL, window and count', async () => {
    const { element, changes } = await render(draft('activity'));
    expect(labelled(element)).toEqual([
      'Field',
      'Activity types (none: any type)',
      'Sources',
      'Keywords',
      'URL contains',
      'At least',
      'Within days',
    ]);
    expect(options($(element, '[data-id="types"]'))).toContain('Web visit');
    expect($(element, '[data-id="op"]')).toBeNull();
    change($(element, '[data-id="url"]'), '/pricing', 'input');
    expect(changes[0]).toMatchObject({
      field: 'activity',
      urlContains: '/pricing',
      withinDays: '30',
      atLeast: '1',
    });
  });

  it('has the inputs of keyword research, opportunities, people, segments and CRM fields', async () => {
    let { element } = await render(draft('keyword_researched'));
    expect(labelled(element)).toEqual(['Field', 'Keywords (comma-separated)', 'Within days']);
    clearBody();
    ({ element } = await render(draft('opportunity')));
    expect(labelled(element)).toEqual(['Field', 'Status', 'Relevance', 'Within days (optional)']);
    expect(options($(element, '[data-id="status"]'))).toEqual(['Open', 'Won', 'Open or closed']);
    clearBody();
    ({ element } = await render(draft('person')));
    expect(labelled(element)).toEqual([
      'Field',
      'Personas (comma-separated)',
      'Engagement grades',
      'Profile fits',
    ]);
    expect(options($(element, '[data-id="grades"]'))).toEqual(['A', 'B', 'C', 'D']);
    clearBody();
    ({ element } = await render(draft('segment', { value: 'Gone segment' })));
    expect(options($(element, '[data-id="op"]'))).toEqual(['is in', 'is not in']);
    expect(options($(element, '[data-id="value"]'))).toEqual([
      'Choose a segment…',
      'Gone segment',
      'Customers',
      'EMEA software',
    ]);
    clearBody();
    ({ element } = await render(draft('crm', { crmName: 'Type' })));
    expect(labelled(element)).toEqual(['Field', 'Salesforce field (API name)', 'Operator', 'Value']);
    expect($(element, '[data-id="crm-name"]').value).toBe('Type');
  });

  it("shows the service's message on the invalid condition, and asks to be removed", async () => {
    const { element } = await render(draft('intent_score', { op: 'gt' }), {
      errorMessage: 'all[1].value: gt needs a value',
    });
    expect($(element, 'fieldset').classList.contains('slds-has-error')).toBe(true);
    expect(textOf($(element, '[data-id="error"]'))).toBe('all[1].value: gt needs a value');
    const removed = jest.fn();
    element.addEventListener('remove', removed);
    $(element, '[data-id="remove"]').click();
    expect(removed).toHaveBeenCalled();
    expect(textOf($(element, '[data-id="remove"] .slds-assistive-text'))).toBe('Remove Condition 2');
  });
});
