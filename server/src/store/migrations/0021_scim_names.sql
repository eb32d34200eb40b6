-- SCIM provisioning (issue 18): the parts of a provisioned user's name, as the identity provider
-- sent them (name.givenName, name.familyName), so a GET answers what a PUT or PATCH wrote.
-- users.name keeps the whole name people see.
CREATE TABLE scim_user_names (
  user_id text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  given_name text,
  family_name text
);
