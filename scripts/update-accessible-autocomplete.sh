#!/usr/bin/env bash
# Refresh the vendored accessible-autocomplete build (GOV.UK's, from npm; needs npm only when run).
# Usage: scripts/update-accessible-autocomplete.sh [VERSION]   (default: the latest 3.x)
set -euo pipefail
version="${1:-3}"
dest="$(cd "$(dirname "$0")/.." && pwd)/src/partnering/core/static/vendor/accessible-autocomplete"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --silent "accessible-autocomplete@${version}")
dist="$work/node_modules/accessible-autocomplete/dist"
installed=$(node -p "require('$work/node_modules/accessible-autocomplete/package.json').version")
rm -rf "$dest" && mkdir -p "$dest"
# The source maps are not vendored: drop the comments pointing at them (collectstatic's manifest
# storage refuses references to missing files).
sed -e 's#/\*\# sourceMappingURL=.*\*/##' "$dist/accessible-autocomplete.min.css" > "$dest/accessible-autocomplete.min.css"
sed -e 's#//\# sourceMappingURL=.*$##' "$dist/accessible-autocomplete.min.js" > "$dest/accessible-autocomplete.min.js"
echo "$installed" > "$dest/VERSION"
echo "accessible-autocomplete $installed copied to $dest"
