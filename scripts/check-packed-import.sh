#!/usr/bin/env bash
# Installs the package as a user would (npm pack, then npm install of the tarball into an empty
# folder, offline from the npm cache) and runs the installed `signalfit import .` from inside a
# folder of demo CSV files, outside the project: every file must land and the command exit 0.
# Large enough that activities.csv is parsed in the worker thread, whose loader once resolved
# from the working directory and failed outside the project.
set -euo pipefail

project="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/signalfit-packed-XXXXXX")"
trap 'rm -rf "$work"' EXIT

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
  '': { name: 'packed-import-check', dependencies: { [self.name]: spec } },
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
const app = { name: 'packed-import-check', private: true, dependencies: { [self.name]: spec } };
fs.writeFileSync('package.json', `${JSON.stringify(app, null, 2)}\n`);
fs.writeFileSync(
  'package-lock.json',
  `${JSON.stringify({ name: app.name, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
);
JS
echo "installing $tarball (offline, from the npm cache)"
npm ci --offline --no-audit --no-fund --loglevel=error > /dev/null

signalfit="$work/app/node_modules/.bin/signalfit"
# Only the check's own settings: no store, port or credentials of the caller's.
env_run() {
  env -i PATH="$PATH" HOME="$HOME" LOG_LEVEL=silent SIGNALFIT_DATA_DIR="$work/store" "$@"
}
env_run "$signalfit" demo --csv "$work/market" --accounts 260 --seed 3 --end-date 2026-01-01 > /dev/null

cd "$work/market"
set +e
env_run "$signalfit" import . > "$work/import.out" 2> "$work/import.err"
code=$?
set -e
cat "$work/import.out"
if [ "$code" -ne 0 ] || [ -s "$work/import.err" ]; then
  cat "$work/import.err" >&2
  echo "check-packed-import: the installed signalfit import . exited $code" >&2
  exit 1
fi
for file in accounts.csv contacts.csv opportunities.csv activities.csv keywords.csv; do
  if ! grep -Eq "^ +$file +[0-9,]+ rows: [0-9,]+ new" "$work/import.out"; then
    echo "check-packed-import: $file did not land" >&2
    exit 1
  fi
done
echo "check-packed-import: ok"
