#!/usr/bin/env bash
# Builds cert-page.html in BUILD_DIR: `npm ci` (the npm registry only, versions pinned by
# package-lock.json, install scripts not run) when the lock file changed, then esbuild.
# Never fails the kesu build: on error it says why and leaves no page (the web tests then skip)
# and no stamp, so the next build tries again.
# Usage: build.sh SOURCE_DIR BUILD_DIR NODE NPM [STAGED_COPY]
# STAGED_COPY (build/share/kesu/cert-page.html) is where the kesu binary of the build tree
# finds the page, as an installed kesu finds share/kesu/cert-page.html.
set -uo pipefail
src=$1 out=$2 node=$3 npm=$4 staged=${5:-}
stamp="$out/cert-page.stamp"
rm -f "$out/cert-page.html" "$stamp"
[[ -z "$staged" ]] || rm -f "$staged"
cp "$src/package.json" "$src/package-lock.json" "$out/"
if ! cmp -s "$src/package-lock.json" "$out/node_modules/.kesu-lock.json" 2>/dev/null; then
  if ! (cd "$out" && "$npm" ci --ignore-scripts --no-audit --no-fund --loglevel=error); then
    echo "kesu_cert_page: WARNING: 'npm ci' failed (no access to the npm registry?); the certificate page is not built" >&2
    exit 0
  fi
  cp "$src/package-lock.json" "$out/node_modules/.kesu-lock.json"
fi
if ! NODE_PATH="$out/node_modules" "$node" "$src/build.mjs" "$out/node_modules" "$out/cert-page.html.tmp"; then
  echo "kesu_cert_page: WARNING: bundling the page failed; the certificate page is not built" >&2
  exit 0
fi
mv "$out/cert-page.html.tmp" "$out/cert-page.html"
if [[ -n "$staged" ]]; then
  mkdir -p "$(dirname "$staged")"
  cp "$out/cert-page.html" "$staged"
fi
touch "$stamp"
