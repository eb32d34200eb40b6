#!/usr/bin/env bash
# Usage: scripts/install-packed.sh <work-dir>
# Installs the package as a user would: `npm pack` of the project (prepack builds the dashboard)
# into <work-dir>, then an install of the tarball with its production dependencies only into the
# empty folder <work-dir>/app, offline from the npm cache. The installed command is then
# <work-dir>/app/node_modules/.bin/signalfit. Shared by the checks of the installed package.
set -euo pipefail

work="${1:?usage: install-packed.sh <work-dir>}"
project="$(cd "$(dirname "$0")/.." && pwd)"

echo "packing $project"
tarball="$(cd "$project" && npm pack --silent --pack-destination "$work" | tail -n 1)"
mkdir "$work/app"
cd "$work/app"
# Offline, npm cannot resolve versions (the cache holds the packages, not the registry's
# indexes), so the install gets a lockfile: the package from the tarball and, at the same
# versions and places, the runtime packages of the project's own lockfile.
node - "$project/package-lock.json" "$tarball" <<'JS'
const fs = require('node:fs');
const [lockFile, tarball] = process.argv.slice(2);
const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
const self = lock.packages[''];
const spec = `file:../${tarball}`;
const packages = {
  '': { name: 'packed-install-check', dependencies: { [self.name]: spec } },
  [`node_modules/${self.name}`]: {
    version: self.version,
    resolved: spec,
    license: self.license,
    dependencies: self.dependencies,
    bin: self.bin,
    engines: self.engines,
  },
};
for (const [place, entry] of Object.entries(lock.packages)) if (place !== '' && !entry.dev) packages[place] = entry;
const app = { name: 'packed-install-check', private: true, dependencies: { [self.name]: spec } };
fs.writeFileSync('package.json', `${JSON.stringify(app, null, 2)}\n`);
fs.writeFileSync(
  'package-lock.json',
  `${JSON.stringify({ name: app.name, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
);
JS
echo "installing $tarball (production dependencies only, offline, from the npm cache)"
npm ci --offline --omit=dev --no-audit --no-fund --loglevel=error > /dev/null
