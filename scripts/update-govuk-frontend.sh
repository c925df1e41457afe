#!/usr/bin/env bash
# Refresh the vendored GOV.UK Frontend build (needs npm only when run; Node is not needed at run time).
# Usage: scripts/update-govuk-frontend.sh [VERSION]   (default: the latest 6.x)
set -euo pipefail
version="${1:-6}"
dest="$(cd "$(dirname "$0")/.." && pwd)/src/partnering/core/static/govuk"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --silent "govuk-frontend@${version}")
dist="$work/node_modules/govuk-frontend/dist/govuk"
installed=$(node -p "require('$work/node_modules/govuk-frontend/package.json').version")
rm -rf "$dest" && mkdir -p "$dest"
cp -r "$dist/assets" "$dest/assets"
# The built CSS points at /assets/...; make those URLs relative to the CSS file so they work under STATIC_URL.
# The source maps are not vendored, so drop the comments pointing at them (collectstatic's manifest
# storage refuses references to missing files).
sed -e 's#url(/assets/#url(assets/#g' -e '\#sourceMappingURL=#d' "$dist/govuk-frontend.min.css" > "$dest/govuk-frontend.min.css"
sed -e 's#//\# sourceMappingURL=.*$##' "$dist/govuk-frontend.min.js" > "$dest/govuk-frontend.min.js"
echo "$installed" > "$dest/VERSION"
echo "GOV.UK Frontend $installed copied to $dest"
