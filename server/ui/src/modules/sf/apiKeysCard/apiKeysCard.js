import { LightningElement, api } from 'lwc';
import { createApiKey, fetchApiKeys, revokeApiKey } from 'sf/usersApi';
import { ROLES } from 'sf/vocabulary';
import { formatDate, plural } from 'sf/format';

const SERVICE_KEY = '';

/**
 * The API keys section of the Users page (Admin): create a key (name, role, optional owner),
 * shown once with a copy button and a warning that it cannot be shown again; every key with its
 * owner, first characters, creation, last use and state; revocation after a confirmation.
 */
export default class ApiKeysCard extends LightningElement {
  @api client;
  /** The emails a key may be owned by (the active users). */
  @api owners = [];

  apiKeys = [];
  loading = true;
  error;
  notice;
  saving = false;
  name = '';
  role = 'View Only';
  owner = SERVICE_KEY;
  /** The key just created, `{ key, name }`, until the Admin closes it: it is not kept anywhere else. */
  created;
  copied = false;
  /** The key waiting for confirmation of its revocation. */
  pending;

  connectedCallback() {
    this.load();
  }

  async load() {
    try {
      const { apiKeys } = await this.client.call((token) => fetchApiKeys(token));
      this.apiKeys = apiKeys;
    } catch (error) {
      this.error = error.message;
    }
    this.loading = false;
  }

  get rows() {
    return this.apiKeys.map((key) => ({
      id: key.id,
      name: key.name,
      role: key.role,
      owner: key.user || 'Service key',
      prefix: `${key.prefix}…`,
      created: `${formatDate(key.createdAt)} by ${key.createdBy}`,
      lastUsed: key.lastUsedAt ? formatDate(key.lastUsedAt) : 'Never',
      state: key.revokedAt ? `Revoked ${formatDate(key.revokedAt)}` : 'Live',
      live: !key.revokedAt,
      revokeLabel: `Revoke ${key.name}`,
    }));
  }
  get roleOptions() {
    return ROLES.map((role) => ({ value: role, label: role, selected: role === this.role }));
  }
  get ownerOptions() {
    return [
      { value: SERVICE_KEY, label: 'No owner (service key)', selected: this.owner === SERVICE_KEY },
      ...(this.owners || []).map((email) => ({ value: email, label: email, selected: email === this.owner })),
    ];
  }
  get countText() {
    return this.loading ? '' : plural(this.apiKeys.length, 'key', 'keys');
  }
  get hasRows() {
    return this.apiKeys.length > 0;
  }
  get isEmpty() {
    return !this.loading && !this.error && this.apiKeys.length === 0;
  }
  get createDisabled() {
    return this.saving || !this.name.trim();
  }
  get copyLabel() {
    return this.copied ? 'Copied' : 'Copy';
  }
  get confirmTitle() {
    return this.pending ? `Revoke the key ${this.pending.name}?` : '';
  }

  handleInput(event) {
    this[event.target.dataset.name] = event.target.value;
  }

  async handleCreate(event) {
    event.preventDefault();
    this.clearMessages();
    this.saving = true;
    try {
      const body = { name: this.name.trim(), role: this.role };
      if (this.owner) {
        body.user = this.owner;
      }
      const { key, apiKey } = await this.client.call((token) => createApiKey(body, token));
      this.created = { key, name: apiKey.name };
      this.copied = false;
      this.apiKeys = [apiKey, ...this.apiKeys];
      this.name = '';
    } catch (error) {
      this.error = error.message;
    }
    this.saving = false;
  }

  async handleCopy() {
    try {
      await navigator.clipboard.writeText(this.created.key);
      this.copied = true;
    } catch {
      // No clipboard (an insecure origin, a refusal): select the key so it can be copied by hand.
      const field = this.template.querySelector('[data-id="new-key"]');
      field.focus();
      field.select();
    }
  }

  handleDone() {
    this.created = undefined;
    this.copied = false;
  }

  handleAsk(event) {
    this.clearMessages();
    this.pending = this.apiKeys.find((key) => key.id === event.currentTarget.dataset.keyId);
  }

  handleCancel() {
    this.pending = undefined;
  }

  async handleConfirm() {
    const { id } = this.pending;
    this.pending = undefined;
    try {
      const { apiKey } = await this.client.call((token) => revokeApiKey(id, token));
      this.apiKeys = this.apiKeys.map((key) => (key.id === apiKey.id ? apiKey : key));
      this.notice = `Revoked ${apiKey.name}: it is refused from now on.`;
    } catch (error) {
      this.error = error.message;
    }
  }

  clearMessages() {
    this.error = undefined;
    this.notice = undefined;
  }
}
