import { AppError } from '../../errors';
import type { ScimFields } from './scimUser';

/**
 * A SCIM PATCH (RFC 7644 §3.5.2) applied to a user's fields, pure. Accepts the forms identity
 * providers send:
 * - RFC 7644: `{ "op": "replace", "path": "active", "value": false }`;
 * - Okta: `{ "op": "replace", "value": { "active": false } }` (no path, an object of attributes);
 * - Microsoft Entra ID: `"op": "Replace"` (any case), `"value": "False"` (booleans as strings),
 *   paths such as `name.givenName`, and dotted keys inside a path-less value.
 * Attributes Signalfit does not keep (emails, phone numbers, enterprise extension…) are ignored,
 * so a provider's full update never fails on them.
 */
export interface PatchOperation {
  op: string;
  path?: string;
  value?: unknown;
}

export function applyPatch(fields: ScimFields, operations: readonly PatchOperation[]): ScimFields {
  let next = { ...fields };
  for (const operation of operations) {
    const op = operation.op.toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw new AppError(
        'validation_failed',
        `"${operation.op}" is not a PATCH operation (add, replace, remove)`,
      );
    if (operation.path) {
      next = setAttribute(next, operation.path, op === 'remove' ? null : operation.value);
    } else if (op === 'remove') {
      throw new AppError('validation_failed', 'a remove operation needs a path');
    } else if (isObject(operation.value)) {
      for (const [key, value] of Object.entries(operation.value)) {
        if (key.toLowerCase() === 'name' && isObject(value)) {
          for (const [part, partValue] of Object.entries(value))
            next = setAttribute(next, `name.${part}`, partValue);
        } else next = setAttribute(next, key, value);
      }
    } else {
      throw new AppError('validation_failed', 'an operation without a path needs an object value');
    }
  }
  return next;
}

/** One attribute by its SCIM path (case-insensitive, with or without the core schema's URN). */
function setAttribute(fields: ScimFields, path: string, value: unknown): ScimFields {
  const attribute = path.replace(/^urn:ietf:params:scim:schemas:core:2\.0:User:/i, '').toLowerCase();
  switch (attribute) {
    case 'active':
      return { ...fields, active: booleanOf(value) };
    case 'username':
      return { ...fields, email: requiredText(value, 'userName') };
    case 'externalid':
      return { ...fields, externalId: textOrNull(value) };
    case 'displayname':
    case 'name.formatted':
      return { ...fields, displayName: textOrNull(value) };
    case 'name.givenname':
      return { ...fields, givenName: textOrNull(value) };
    case 'name.familyname':
      return { ...fields, familyName: textOrNull(value) };
    case 'name':
      if (value === null) return { ...fields, givenName: null, familyName: null };
      if (isObject(value)) {
        let next = fields;
        for (const [part, partValue] of Object.entries(value))
          next = setAttribute(next, `name.${part}`, partValue);
        return next;
      }
      return fields;
    default:
      return fields;
  }
}

/** true/false, or Entra's "True"/"False" strings. */
export function booleanOf(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
    return value.trim().toLowerCase() === 'true';
  throw new AppError('validation_failed', `active must be true or false, not ${JSON.stringify(value)}`);
}

function textOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string')
    throw new AppError('validation_failed', `expected text, not ${JSON.stringify(value)}`);
  return value.trim() || null;
}

function requiredText(value: unknown, name: string): string {
  const text = textOrNull(value);
  if (!text) throw new AppError('validation_failed', `${name} must not be empty`);
  return text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
