#!/usr/bin/env bash
# Installs the packed package with its production dependencies only, into an empty folder, as an
# operator would, then checks what issue 19 asks of such an install: no dev package is present,
# the tarball carries the built dashboard and no tests, and the installed `signalfit demo` and
# `signalfit serve` serve `/`, `/embed` and the API (after the standalone app's demo sign-in).
set -euo pipefail

project="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/signalfit-production-XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2> /dev/null || true; wait "$server_pid" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "check-production-install: $*" >&2
  exit 1
}

bash "$project/scripts/install-packed.sh" "$work"
app="$work/app"
installed="$app/node_modules/signalfit"

echo "== no dev package installed"
# Every package folder under node_modules (nested ones too), against the devDependencies list. A
# package of that list that an installed production package itself depends on is not one of ours
# (e.g. @types/node, which @slack/webhook declares as a dependency): it is left out.
dev_found="$(node - "$project/package.json" "$app/node_modules" <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const [manifest, root] = process.argv.slice(2);
const dev = new Set(Object.keys(JSON.parse(fs.readFileSync(manifest, 'utf8')).devDependencies ?? {}));
const found = [];
const requiredByProduction = new Set();
(function walk(dir) {
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (name.startsWith('.')) continue;
    const names = name.startsWith('@') ? fs.readdirSync(path.join(dir, name)).map((n) => `${name}/${n}`) : [name];
    for (const pkg of names) {
      const folder = path.join(dir, pkg);
      if (dev.has(pkg)) found.push({ pkg, where: path.relative(root, folder) });
      else {
        const own = path.join(folder, 'package.json');
        const deps = fs.existsSync(own) ? JSON.parse(fs.readFileSync(own, 'utf8')).dependencies ?? {} : {};
        for (const dep of Object.keys(deps)) requiredByProduction.add(dep);
      }
      walk(path.join(folder, 'node_modules'));
    }
  }
})(root);
console.log(found.filter((f) => !requiredByProduction.has(f.pkg)).map((f) => f.where).join('\n'));
JS
)"
[ -z "$dev_found" ] || fail "dev packages installed: $(echo $dev_found)"

echo "== the tarball: built dashboard in, the Salesforce metadata in (offboard salesforce-cleanup reads it), tests and UI sources out"
for file in build/ui/main.js build/ui/app.js build/ui/build-stamp.txt build/ui/embed.css build/ui/app.css \
  build/ui/slds/styles/salesforce-lightning-design-system.min.css LICENSE README.md bin/signalfit.js \
  sfdx-project.json; do
  [ -f "$installed/$file" ] || fail "$file is missing from the package"
done
leftovers="$(cd "$installed" && find . \( -name '*.test.ts' -o -name 'testing.ts' -o -path './server/ui/src' \
  -o -path './server/ui/e2e' -o -path './server/test' -o -path './scripts' -o -name '__tests__' \
  -o \( -path './force-app/*' -not -path './force-app/main' -not -path './force-app/main/*' \) \) -print)"
[ -d "$installed/force-app/main/default" ] || fail "the Salesforce metadata (force-app/main) is missing from the package"
[ -z "$leftovers" ] || fail "the package holds files it should not: $(echo $leftovers)"

signalfit="$app/node_modules/.bin/signalfit"
port="$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
# Only the check's own settings: no store, port or credentials of the caller's.
env_run() {
  env -i PATH="$PATH" HOME="$HOME" LOG_LEVEL=warn SIGNALFIT_DATA_DIR="$work/store" PORT="$port" HOST=127.0.0.1 "$@"
}

echo "== signalfit demo"
(cd "$work" && env_run "$signalfit" demo --accounts 200 --seed 7 > "$work/demo.out")

echo "== signalfit serve on 127.0.0.1:$port"
(cd "$work" && exec env -i PATH="$PATH" HOME="$HOME" LOG_LEVEL=warn SIGNALFIT_DATA_DIR="$work/store" \
  PORT="$port" HOST=127.0.0.1 "$signalfit" serve) > "$work/serve.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "$base/readyz" && break
  kill -0 "$server_pid" 2> /dev/null || { cat "$work/serve.log" >&2; fail "signalfit serve exited"; }
  sleep 0.5
done

status() { curl -s -o "$work/body" -w '%{http_code}' "$@"; }
for page in / /embed; do
  code="$(status "$base$page")"
  [ "$code" = 200 ] || { cat "$work/serve.log" >&2; fail "GET $page answered $code: $(head -c 300 "$work/body")"; }
  echo "GET $page: 200"
done
code="$(status -X POST "$base/api/session/demo")"
[ "$code" = 200 ] || fail "POST /api/session/demo answered $code: $(head -c 300 "$work/body")"
token="$(node -e 'console.log(JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")).accessToken)' "$work/body")"
code="$(status -H "Authorization: Bearer $token" "$base/api/accounts")"
[ "$code" = 200 ] || fail "GET /api/accounts answered $code: $(head -c 300 "$work/body")"
node -e 'const b = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")); if (!(b.accounts?.length > 0)) process.exit(1);' "$work/body" \
  || fail "GET /api/accounts holds no account: $(head -c 300 "$work/body")"
echo "GET /api/accounts (demo sign-in): 200"
if grep -q '"level":50' "$work/serve.log"; then cat "$work/serve.log" >&2; fail "the service logged an error"; fi
echo "check-production-install: ok"
