import { InvalidArgumentError } from 'commander';
import { parseRole, ROLES, type Role } from '../../domain/vocabulary';

/** A role typed on the command line (any case; View Only also as view-only, view_only, viewonly). */
export function roleArgument(value: string): Role {
  const role = parseRole(value);
  if (!role) {
    throw new InvalidArgumentError(
      `"${value}" is not a role: use one of ${ROLES.join(', ')} (write View Only as view-only or in quotes)`,
    );
  }
  return role;
}
