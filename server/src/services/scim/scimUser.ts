import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { findUserById, type User } from '../users/users';

/**
 * A user as SCIM 2.0 (RFC 7643) sees it: userName is the email, externalId the identity
 * provider's id for the person (often the ID token's `sub`), name and active. The role is
 * Signalfit's own (View Only for a new user; an Admin or the OIDC role map changes it).
 */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** SCIM provisioning acts as this actor: the identity provider, trusted to manage users. */
export const SCIM_ACTOR: Actor = { userId: 'scim', kind: 'scim', name: 'SCIM provisioning', role: 'Admin' };

/** What SCIM may set on a user. */
export interface ScimFields {
  email: string;
  externalId: string | null;
  givenName: string | null;
  familyName: string | null;
  /** The whole name people see (displayName or name.formatted), when the provider sent one. */
  displayName: string | null;
  active: boolean;
}

export interface ScimUser extends ScimFields {
  id: string;
  name: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The user of `id` with the name parts SCIM wrote, or null. */
export async function findScimUser(db: Db, id: string): Promise<ScimUser | null> {
  const user = await findUserById(db, id);
  return user ? withNameParts(db, user) : null;
}

export async function withNameParts(db: Db, user: User): Promise<ScimUser> {
  const [parts] = await db.query<{ given_name: string | null; family_name: string | null }>(
    'SELECT given_name, family_name FROM scim_user_names WHERE user_id = $1',
    [user.id],
  );
  return {
    id: user.id,
    email: user.email,
    externalId: user.externalId,
    givenName: parts?.given_name ?? null,
    familyName: parts?.family_name ?? null,
    displayName: user.name,
    name: user.name,
    active: user.active,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

/** The whole name to show: the display name, else the given and family names together. */
export function wholeName(
  fields: Pick<ScimFields, 'displayName' | 'givenName' | 'familyName'>,
): string | null {
  if (fields.displayName?.trim()) return fields.displayName.trim();
  const joined = [fields.givenName, fields.familyName].filter((part) => part?.trim()).join(' ');
  return joined || null;
}
