import { LightningElement, api } from 'lwc';
import { createUser, fetchUsers, updateUser } from 'sf/usersApi';
import { ROLES } from 'sf/vocabulary';
import { formatDate, plural } from 'sf/format';

/**
 * The Users page (Admin): every user of the standalone app with their role and state, a form to
 * add one, a role select per user (applied at once, from the user's next request), and
 * deactivation or reactivation after a confirmation saying what it does. The API keys section
 * (sf-api-keys-card) sits below and offers the active users as owners.
 */
export default class UsersPage extends LightningElement {
  @api client;

  users = [];
  loading = true;
  error;
  notice;
  /** The change waiting for confirmation: `{ id, email, active }` (active: the state asked for). */
  pending;
  saving = false;
  email = '';
  name = '';
  role = 'View Only';

  connectedCallback() {
    this.load();
  }

  async load() {
    try {
      const { users } = await this.client.call((token) => fetchUsers(token));
      this.users = users;
    } catch (error) {
      this.error = error.message;
    }
    this.loading = false;
  }

  get rows() {
    return this.users.map((user) => ({
      id: user.id,
      email: user.email,
      name: user.name || '—',
      roleOptions: ROLES.map((role) => ({ value: role, label: role, selected: role === user.role })),
      roleLabel: `Role of ${user.email}`,
      state: user.active ? 'Active' : `Deactivated ${formatDate(user.deactivatedAt)}`,
      lastSignIn: user.lastSignInAt ? formatDate(user.lastSignInAt) : 'Never',
      active: user.active,
      actionLabel: user.active ? 'Deactivate' : 'Reactivate',
      actionAria: `${user.active ? 'Deactivate' : 'Reactivate'} ${user.email}`,
    }));
  }
  get roleOptions() {
    return ROLES.map((role) => ({ value: role, label: role, selected: role === this.role }));
  }
  get countText() {
    return this.loading ? '' : plural(this.users.length, 'user', 'users');
  }
  get hasRows() {
    return this.users.length > 0;
  }
  get isEmpty() {
    return !this.loading && !this.error && this.users.length === 0;
  }
  get activeEmails() {
    return this.users.filter((user) => user.active).map((user) => user.email);
  }
  get confirmTitle() {
    return this.pending ? `${this.pending.active ? 'Reactivate' : 'Deactivate'} ${this.pending.email}?` : '';
  }
  get confirmText() {
    if (!this.pending) {
      return '';
    }
    return this.pending.active
      ? 'They can sign in again, and the API keys they own that were not revoked work again.'
      : 'They are signed out at once, cannot sign in, and the API keys they own stop working until they are reactivated.';
  }
  get confirmLabel() {
    return this.pending && this.pending.active ? 'Reactivate' : 'Deactivate';
  }
  get addDisabled() {
    return this.saving || !this.email.trim();
  }

  handleInput(event) {
    this[event.target.dataset.name] = event.target.value;
  }

  async handleAdd(event) {
    event.preventDefault();
    this.clearMessages();
    this.saving = true;
    try {
      const body = { email: this.email.trim(), role: this.role };
      if (this.name.trim()) {
        body.name = this.name.trim();
      }
      const { user } = await this.client.call((token) => createUser(body, token));
      this.users = [...this.users, user].sort((a, b) => a.email.localeCompare(b.email));
      this.notice = `Added ${user.email} as ${user.role}.`;
      this.email = '';
      this.name = '';
    } catch (error) {
      this.error = error.message;
    }
    this.saving = false;
  }

  async handleRole(event) {
    const id = event.target.dataset.userId;
    const role = event.target.value;
    this.clearMessages();
    await this.change(id, { role }, (user) => `${user.email} is now ${user.role}, from their next request.`);
  }

  handleAsk(event) {
    const user = this.users.find((u) => u.id === event.currentTarget.dataset.userId);
    this.clearMessages();
    this.pending = { id: user.id, email: user.email, active: !user.active };
  }

  handleCancel() {
    this.pending = undefined;
  }

  async handleConfirm() {
    const { id, active } = this.pending;
    this.pending = undefined;
    await this.change(id, { active }, (user) => {
      if (user.active) {
        return `Reactivated ${user.email}.`;
      }
      return `Deactivated ${user.email}: signed out and refused from now on.`;
    });
  }

  async change(id, changes, say) {
    this.saving = true;
    try {
      const { user } = await this.client.call((token) => updateUser(id, changes, token));
      this.users = this.users.map((u) => (u.id === user.id ? user : u));
      this.notice = say(user);
    } catch (error) {
      this.error = error.message;
      // The select shows the stored role again.
      this.users = [...this.users];
    }
    this.saving = false;
  }

  clearMessages() {
    this.error = undefined;
    this.notice = undefined;
  }
}
