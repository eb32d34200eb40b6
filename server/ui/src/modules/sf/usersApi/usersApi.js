/**
 * Calls of the app's Users page: the standalone app's users and the API keys (Admin only). Same
 * rules as sf/api: the access token is a bearer header kept in memory; no cookies.
 */
import { requestJson } from 'sf/api';

const userPath = (id) => `/api/users/${encodeURIComponent(id)}`;

/** `{ users: [{ id, email, name, role, active, externalId, lastSignInAt, createdAt, deactivatedAt }] }`. */
export function fetchUsers(accessToken) {
  return requestJson('/api/users', { accessToken });
}

/** `user` is `{ email, name?, role }`; answers `{ user }`. */
export function createUser(user, accessToken) {
  return requestJson('/api/users', { method: 'POST', body: user, accessToken });
}

/** `changes` is `{ role?, active?, name? }`; answers `{ user }`. */
export function updateUser(id, changes, accessToken) {
  return requestJson(userPath(id), { method: 'PATCH', body: changes, accessToken });
}

/** `{ apiKeys: [{ id, name, role, user, prefix, createdAt, createdBy, lastUsedAt, revokedAt }] }`. */
export function fetchApiKeys(accessToken) {
  return requestJson('/api/apikeys', { accessToken });
}

/** `key` is `{ name, role, user? }`; answers `{ key, apiKey }`: the only time the key is shown. */
export function createApiKey(key, accessToken) {
  return requestJson('/api/apikeys', { method: 'POST', body: key, accessToken });
}

/** Answers `{ apiKey }` with its `revokedAt`. */
export function revokeApiKey(id, accessToken) {
  return requestJson(`/api/apikeys/${encodeURIComponent(id)}`, { method: 'DELETE', accessToken });
}
