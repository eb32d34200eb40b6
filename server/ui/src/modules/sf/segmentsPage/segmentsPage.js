import { LightningElement, api } from 'lwc';
import { fetchSegments } from 'sf/segmentsApi';
import { formatDate, formatNumber, plural } from 'sf/format';

const NO_FOLDER = 'No folder';
const KIND_LABELS = Object.freeze({ filter: 'Filter', list: 'List', crm: 'CRM' });

/** Whether a segment's name, folder or one of its tags holds the search text (case-insensitive). */
function segmentMatches(segment, search) {
  const needle = search.trim().toLowerCase();
  if (!needle) {
    return true;
  }
  return [segment.name, segment.folder || '', ...(segment.tags || [])].some((text) =>
    text.toLowerCase().includes(needle),
  );
}

/**
 * The Segments list: every segment grouped by folder (folders by name, the folder-less last under
 * "No folder"), each with its kind, tags, owner, member count and published state; a search on
 * name, folder and tag; "New segment" and "Upload list" for those who may edit segments.
 */
export default class SegmentsPage extends LightningElement {
  @api client;
  /** `can['segments.edit']` of the session. */
  @api canEdit = false;

  segments = [];
  loading = true;
  error;
  search = '';

  connectedCallback() {
    this.load();
  }

  async load() {
    this.loading = true;
    this.error = undefined;
    try {
      const { segments } = await this.client.call((token) => fetchSegments(token));
      this.segments = segments;
    } catch (error) {
      this.error = error.message;
    }
    this.loading = false;
  }

  get matching() {
    return this.segments.filter((segment) => segmentMatches(segment, this.search));
  }

  get groups() {
    const byFolder = new Map();
    for (const segment of this.matching) {
      const folder = segment.folder || NO_FOLDER;
      if (!byFolder.has(folder)) {
        byFolder.set(folder, []);
      }
      byFolder.get(folder).push(this.toRow(segment));
    }
    // Folders by name, the folder-less last.
    const rank = (folder) => (folder === NO_FOLDER ? 1 : 0);
    const folders = [...byFolder.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    return folders.map((folder, i) => ({
      folder,
      headingId: `folder-${i}`,
      countText: plural(byFolder.get(folder).length, 'segment', 'segments'),
      rows: byFolder.get(folder).sort((a, b) => a.name.localeCompare(b.name)),
    }));
  }

  toRow(segment) {
    return {
      id: segment.id,
      name: segment.name,
      href: `/segments/${encodeURIComponent(segment.id)}`,
      kind: KIND_LABELS[segment.kind] || segment.kind,
      tags: segment.tags || [],
      owner: segment.owner || '—',
      members: segment.members == null ? '—' : formatNumber(segment.members),
      publishedText: segment.published ? 'Published' : 'Not published',
      publishedTitle:
        segment.published && segment.publishedAt ? `Since ${formatDate(segment.publishedAt)}` : '',
      publishedClass: segment.published ? 'slds-badge slds-theme_success' : 'slds-text-color_weak',
    };
  }

  get hasSegments() {
    return this.segments.length > 0;
  }
  get countText() {
    if (this.loading) {
      return '';
    }
    const shown = this.matching.length;
    return shown === this.segments.length
      ? plural(shown, 'segment', 'segments')
      : `${formatNumber(shown)} of ${plural(this.segments.length, 'segment', 'segments')}`;
  }
  get noMatch() {
    return !this.loading && this.hasSegments && this.matching.length === 0;
  }
  get isEmpty() {
    return !this.loading && !this.error && !this.hasSegments;
  }

  handleSearch(event) {
    this.search = event.target.value;
  }

  handleOpen(event) {
    event.preventDefault();
    this.dispatchEvent(
      new CustomEvent('navigate', { detail: { path: event.currentTarget.getAttribute('href') } }),
    );
  }
}
