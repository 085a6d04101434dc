#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry, at the versions pinned in
# frontend/package.json and package-lock.json, and record their checksums. The web
# interface serves only these copies: no page asks anything of another machine.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/accord/node/web/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp frontend/package.json "$work/"
if [ -f frontend/package-lock.json ]; then cp frontend/package-lock.json "$work/"; fi
(cd "$work" && if [ -f package-lock.json ]; then npm ci --silent; else npm install --silent; fi)
cp "$work/package-lock.json" frontend/package-lock.json
mkdir -p "$out"
cp "$work/node_modules/htmx.org/dist/htmx.min.js" "$out/htmx.min.js"
cp "$work/node_modules/htmx-ext-sse/dist/sse.min.js" "$out/sse.min.js"
cp "$work/node_modules/htmx.org/LICENSE" "$out/LICENSE.htmx"
(cd "$out" && {
  echo "# package version file sha256"
  for f in htmx.min.js sse.min.js; do
    case $f in htmx*) pkg=htmx.org;; *) pkg=htmx-ext-sse;; esac
    ver=$(node -p "require('$work/node_modules/$pkg/package.json').version")
    echo "$pkg $ver $f $(sha256sum "$f" | cut -d' ' -f1)"
  done
} > MANIFEST)
cat "$out/MANIFEST"
