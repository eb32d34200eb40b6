import { LightningElement, api } from 'lwc';
import { createSegment, fetchSegment, fetchSegments, previewSegment, updateSegment } from 'sf/segmentsApi';
import {
  GROUP_LABELS,
  fromDefinition,
  isIncomplete,
  keyAtPath,
  newCondition,
  newGroup,
  splitList,
  toDefinition,
  usesCrmFields,
} from 'sf/segmentDefinition';
import { formatDate, formatNumber } from 'sf/format';

const PREVIEW_DELAY_MS = 400;
const MEMBERS_SHOWN = 10;
const INDENT_REM = 0.75;
const MAX_INDENT_LEVELS = 4;
const FOLDER_CONVENTION = 'Team - FY## Q# - Name';

/** The tree with `fn(node)` in place of the node of `key`. */
function mapNode(node, key, fn) {
  if (node.key === key) {
    return fn(node);
  }
  if (node.type !== 'group') {
    return node;
  }
  return { ...node, children: node.children.map((child) => mapNode(child, key, fn)) };
}

function removeNode(node, key) {
  if (node.type !== 'group') {
    return node;
  }
  return {
    ...node,
    children: node.children.filter((child) => child.key !== key).map((child) => removeNode(child, key)),
  };
}

/** The tree's nodes in order, with their depth and number (`2.1`: first of the second). */
function numbered(root) {
  const nodes = [];
  const walk = (node, depth, number) => {
    nodes.push({ node, depth, number });
    if (node.type === 'group') {
      node.children.forEach((child, i) => walk(child, depth + 1, number ? `${number}.${i + 1}` : `${i + 1}`));
    }
  };
  walk(root, 0, '');
  return nodes;
}

/**
 * The segment builder: name, folder, tags and description, and the definition as a tree of
 * groups (all / any / none of) and conditions that can be added, nested and removed. While it is
 * edited, a debounced preview shows the live count and the first members; an invalid definition
 * shows the service's message and marks the condition it names. Saving creates the segment (POST)
 * or changes what changed (PATCH), then opens its page.
 */
export default class SegmentBuilder extends LightningElement {
  /** `{ call(request) }` from the app shell. */
  @api client;
  /** The segment to edit; none for a new one. */
  @api segmentId;

  name = '';
  folder = '';
  tags = '';
  description = '';
  root = newGroup('all', [newCondition()]);
  segment;
  loading = false;
  loadError;
  segmentNames = [];
  folders = [];

  count = null;
  members = [];
  asOf = null;
  previewing = false;
  /** The label of the first condition still being filled in, while the preview waits for it. */
  unfinished;
  previewError;
  previewPath;
  invalidKey;
  saving = false;
  saveError;

  _previewTimer;
  _previewSeq = 0;

  connectedCallback() {
    this.loadSegments();
    if (this.segmentId) {
      this.loadSegment();
    } else {
      this.schedulePreview();
    }
  }

  disconnectedCallback() {
    clearTimeout(this._previewTimer);
  }

  renderedCallback() {
    // A textarea takes no value attribute in a template: the loaded description is set here.
    const description = this.template.querySelector('textarea[data-name="description"]');
    if (description && description.value !== this.description) {
      description.value = this.description;
    }
  }

  /** The edited segment's id as the preview takes it (a number), once loaded. */
  get numericId() {
    return this.segment ? this.segment.id : undefined;
  }
  get isEdit() {
    return !!this.segmentId;
  }
  get heading() {
    return this.isEdit ? `Edit segment${this.segment ? `: ${this.segment.name}` : ''}` : 'New segment';
  }
  get folderPlaceholder() {
    return FOLDER_CONVENTION;
  }
  get saveLabel() {
    return this.isEdit ? 'Save changes' : 'Save segment';
  }
  get cancelHref() {
    return this.isEdit ? `/segments/${encodeURIComponent(this.segmentId)}` : '/segments';
  }
  get showForm() {
    return !this.loading && !this.loadError;
  }
  get saveDisabled() {
    return this.saving;
  }

  /** The tree as rows, each indented by its depth; groups head their members. */
  get rows() {
    return numbered(this.root).map(({ node, depth, number }) => {
      const indent = `margin-left: ${Math.min(depth, MAX_INDENT_LEVELS) * INDENT_REM}rem`;
      if (node.type === 'group') {
        const label = depth === 0 ? 'Accounts that match' : `Group ${number}`;
        return {
          key: node.key,
          isGroup: true,
          style: indent,
          label,
          canRemove: depth > 0,
          groupClass: `slds-grid slds-wrap slds-grid_vertical-align-center sf-builder__group${
            node.key === this.invalidKey ? ' sf-builder__group_invalid' : ''
          }`,
          isEmpty: node.children.length === 0,
          options: Object.entries(GROUP_LABELS).map(([value, text]) => ({
            value,
            label: text,
            selected: value === node.op,
          })),
        };
      }
      return {
        key: node.key,
        isCondition: true,
        style: indent,
        condition: node,
        label: `Condition ${number}`,
        errorMessage: node.key === this.invalidKey ? this.previewError : undefined,
      };
    });
  }

  get countText() {
    if (this.count === null) {
      if (this.previewError) {
        return '';
      }
      return this.unfinished
        ? `Finish ${this.unfinished} to see the matching accounts.`
        : 'Add a condition to see the matching accounts.';
    }
    return `${formatNumber(this.count)} ${this.count === 1 ? 'account matches' : 'accounts match'}`;
  }
  get asOfText() {
    return this.asOf ? `Scores as of ${formatDate(this.asOf)}` : '';
  }
  get memberRows() {
    return this.members.slice(0, MEMBERS_SHOWN).map((m) => ({
      id: m.id,
      href: `/accounts/${encodeURIComponent(m.id)}`,
      name: m.name || m.id,
      stage: m.buyingStage || '—',
      intent: m.intentScore == null ? '—' : String(m.intentScore),
      fit: m.profileFit || '—',
    }));
  }
  get hasMembers() {
    return this.members.length > 0;
  }
  get moreMembersText() {
    return this.count > MEMBERS_SHOWN ? `The first ${MEMBERS_SHOWN} by intent.` : '';
  }
  get previewBusy() {
    return this.previewing ? 'true' : 'false';
  }
  get previewErrorText() {
    if (!this.previewError) {
      return '';
    }
    // The service's message names the path; one that does not gets it added.
    const named = !this.previewPath || this.previewError.includes(this.previewPath);
    return named ? this.previewError : `${this.previewError} (at ${this.previewPath})`;
  }
  get previewErrorUnplaced() {
    return !!this.previewError && !this.invalidKey;
  }

  async loadSegments() {
    try {
      const { segments } = await this.client.call((token) => fetchSegments(token));
      const others = segments.filter((s) => String(s.id) !== String(this.segmentId));
      this.segmentNames = others.map((s) => s.name).sort((a, b) => a.localeCompare(b));
      this.folders = [...new Set(segments.map((s) => s.folder).filter(Boolean))].sort();
    } catch {
      // The pickers stay empty: a segment reference can still be saved by name later.
      this.segmentNames = [];
    }
  }

  async loadSegment() {
    this.loading = true;
    this.loadError = undefined;
    try {
      const { segment } = await this.client.call((token) => fetchSegment(this.segmentId, token));
      this.segment = segment;
      this.name = segment.name;
      this.folder = segment.folder || '';
      this.tags = (segment.tags || []).join(', ');
      this.description = segment.description || '';
      this.root = fromDefinition(segment.definition);
      this.schedulePreview(0);
    } catch (error) {
      this.loadError = error.message;
    }
    this.loading = false;
  }

  setRoot(root) {
    this.root = root;
    this.schedulePreview();
  }

  schedulePreview(delay = PREVIEW_DELAY_MS) {
    clearTimeout(this._previewTimer);
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this._previewTimer = setTimeout(() => this.preview(), delay);
  }

  async preview() {
    const { definition, paths } = toDefinition(this.root);
    const seq = ++this._previewSeq;
    const unfinished = numbered(this.root).find(
      ({ node }) => node.type === 'condition' && isIncomplete(node),
    );
    this.unfinished = unfinished ? `Condition ${unfinished.number}` : undefined;
    if (!definition || unfinished) {
      this.count = null;
      this.members = [];
      this.asOf = null;
      this.previewing = false;
      this.clearPreviewError();
      return;
    }
    this.previewing = true;
    try {
      const result = await this.client.call((token) =>
        previewSegment(
          { kind: usesCrmFields(definition) ? 'crm' : 'filter', definition, segmentId: this.numericId },
          token,
        ),
      );
      if (seq !== this._previewSeq) {
        return;
      }
      this.count = result.count;
      this.members = result.members || [];
      this.asOf = result.asOf;
      this.clearPreviewError();
    } catch (error) {
      if (seq !== this._previewSeq) {
        return;
      }
      this.count = null;
      this.members = [];
      this.previewError = error.message;
      const path = error.code === 'invalid_segment' && error.details ? error.details.path : undefined;
      this.previewPath = path || undefined;
      this.invalidKey = path !== undefined ? keyAtPath(paths, path) : undefined;
    }
    if (seq === this._previewSeq) {
      this.previewing = false;
    }
  }

  clearPreviewError() {
    this.previewError = undefined;
    this.previewPath = undefined;
    this.invalidKey = undefined;
  }

  handleInput(event) {
    this[event.target.dataset.name] = event.target.value;
  }

  handleConditionChange(event) {
    const key = event.currentTarget.dataset.key;
    const { condition } = event.detail;
    this.setRoot(mapNode(this.root, key, () => ({ ...condition, key })));
  }

  handleRemove(event) {
    this.setRoot(removeNode(this.root, event.currentTarget.dataset.key));
  }

  handleGroupOp(event) {
    const key = event.target.dataset.key;
    const op = event.target.value;
    this.setRoot(mapNode(this.root, key, (group) => ({ ...group, op })));
  }

  handleAddCondition(event) {
    const key = event.currentTarget.dataset.key;
    this.setRoot(
      mapNode(this.root, key, (group) => ({ ...group, children: [...group.children, newCondition()] })),
    );
  }

  handleAddGroup(event) {
    const key = event.currentTarget.dataset.key;
    this.setRoot(
      mapNode(this.root, key, (group) => ({
        ...group,
        children: [...group.children, newGroup(group.op === 'any' ? 'all' : 'any', [newCondition()])],
      })),
    );
  }

  /** The fields a save sends: all of them for a new segment, only the changed ones for an edit. */
  saveFields() {
    const { definition } = toDefinition(this.root);
    const fields = {
      name: this.name.trim(),
      folder: this.folder.trim() || null,
      tags: splitList(this.tags),
      description: this.description.trim() || null,
      definition,
    };
    if (!this.isEdit) {
      const body = { name: fields.name, kind: usesCrmFields(definition) ? 'crm' : 'filter', definition };
      for (const key of ['folder', 'description']) {
        if (fields[key]) {
          body[key] = fields[key];
        }
      }
      if (fields.tags.length) {
        body.tags = fields.tags;
      }
      return body;
    }
    const before = this.segment;
    const changed = {};
    for (const key of Object.keys(fields)) {
      if (JSON.stringify(fields[key]) !== JSON.stringify(before[key] ?? (key === 'tags' ? [] : null))) {
        changed[key] = fields[key];
      }
    }
    return changed;
  }

  async handleSave(event) {
    event.preventDefault();
    this.saveError = undefined;
    if (!this.name.trim()) {
      this.saveError = 'Give the segment a name.';
      return;
    }
    if (!toDefinition(this.root).definition) {
      this.saveError = 'Add at least one condition.';
      return;
    }
    const fields = this.saveFields();
    if (Object.keys(fields).length === 0) {
      // Nothing changed: nothing to save.
      this.dispatchEvent(new CustomEvent('navigate', { detail: { path: this.cancelHref } }));
      return;
    }
    this.saving = true;
    try {
      const save = this.isEdit
        ? (token) => updateSegment(this.segmentId, fields, token)
        : (token) => createSegment(fields, token);
      const { segment } = await this.client.call(save);
      this.dispatchEvent(
        new CustomEvent('navigate', { detail: { path: `/segments/${encodeURIComponent(segment.id)}` } }),
      );
    } catch (error) {
      this.saveError = error.message;
      if (error.code === 'invalid_segment' && error.details) {
        this.previewError = error.message;
        this.previewPath = error.details.path;
        this.invalidKey = keyAtPath(toDefinition(this.root).paths, error.details.path);
      }
    }
    this.saving = false;
  }

  handleCancel(event) {
    event.preventDefault();
    this.dispatchEvent(new CustomEvent('navigate', { detail: { path: this.cancelHref } }));
  }

  handleOpenMember(event) {
    event.preventDefault();
    this.dispatchEvent(
      new CustomEvent('navigate', { detail: { path: event.currentTarget.getAttribute('href') } }),
    );
  }
}
