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

bash "$project/scripts/install-packed.sh" "$work"

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
# The Salesforce clean-up reads the installed package's own force-app/ (docs/offboarding.md).
env_run "$signalfit" offboard salesforce-cleanup "$work/sfclean" > "$work/sfclean.out"
if ! grep -q "^CustomField: Account.Signalfit_" "$work/sfclean.out" || ! [ -s "$work/sfclean/destructiveChanges.xml" ]; then
  cat "$work/sfclean.out" >&2
  echo "check-packed-import: offboard salesforce-cleanup found no package metadata" >&2
  exit 1
fi
echo "check-packed-import: ok"
