import { LightningElement, api } from 'lwc';
import { JOB_LEVELS } from 'sf/vocabulary';
import { newTitleEntry } from 'sf/orchestrationDefinition';

/**
 * The titles filter: an ordered list of entries (levels, functions, words the title contains,
 * words it must not), added, removed and moved up or down; the first entry a person matches
 * decides their place. Fires `change` with `{ entries }`.
 */
export default class OrchestrationTitles extends LightningElement {
  @api entries = [];

  get rows() {
    const last = this.entries.length - 1;
    return this.entries.map((entry, index) => {
      const n = index + 1;
      return {
        ...entry,
        label: `Title entry ${n}`,
        headingId: `${entry.key}-heading`,
        levelsId: `${entry.key}-levels`,
        functionsId: `${entry.key}-functions`,
        includeId: `${entry.key}-include`,
        excludeId: `${entry.key}-exclude`,
        levelOptions: JOB_LEVELS.map((level) => ({
          value: level,
          selected: entry.levels.includes(level),
        })),
        isFirst: index === 0,
        isLast: index === last,
        upLabel: `Move title entry ${n} up`,
        downLabel: `Move title entry ${n} down`,
        removeLabel: `Remove title entry ${n}`,
      };
    });
  }

  get isEmpty() {
    return this.entries.length === 0;
  }

  emit(entries) {
    this.dispatchEvent(new CustomEvent('change', { detail: { entries } }));
  }

  indexOf(event) {
    return this.entries.findIndex((entry) => entry.key === event.currentTarget.dataset.key);
  }

  handleAdd() {
    this.emit([...this.entries, newTitleEntry()]);
  }

  handleRemove(event) {
    const index = this.indexOf(event);
    this.emit(this.entries.filter((_, i) => i !== index));
  }

  move(event, by) {
    const index = this.indexOf(event);
    const entries = [...this.entries];
    const [entry] = entries.splice(index, 1);
    entries.splice(index + by, 0, entry);
    this.emit(entries);
  }

  handleUp(event) {
    this.move(event, -1);
  }

  handleDown(event) {
    this.move(event, 1);
  }

  handleText(event) {
    const index = this.indexOf(event);
    const field = event.currentTarget.dataset.field;
    const value = event.currentTarget.value;
    this.emit(this.entries.map((entry, i) => (i === index ? { ...entry, [field]: value } : entry)));
  }

  handleLevels(event) {
    const index = this.indexOf(event);
    const levels = [...event.currentTarget.selectedOptions].map((option) => option.value);
    this.emit(this.entries.map((entry, i) => (i === index ? { ...entry, levels } : entry)));
  }
}
