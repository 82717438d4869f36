#!/usr/bin/env bash
# chromium-path.sh: print the path of a Chromium that Playwright can drive.
#
# $CHROMIUM_PATH if set and executable; else the distribution's
# /usr/bin/chromium (Debian's apt package, installed by `make test`).
# Ubuntu only ships Chromium as a snap (its deb is a wrapper that needs
# snapd), so there, as a fallback, Playwright downloads its own build
# (`playwright install --with-deps chromium`; needs access to its CDN).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then
    echo "$CHROMIUM_PATH"; exit 0
fi
for exe in /usr/bin/chromium /usr/lib/chromium/chromium; do
    if [ -x "$exe" ] && ! grep -qs '/snap/' "$exe"; then
        echo "$exe"; exit 0
    fi
done
[ "$(os_id)" = debian ] && die "no /usr/bin/chromium: apt-get install --no-install-recommends chromium"

say "no usable distribution Chromium here; installing Playwright's own build"
# (install-deps uses apt-get, through sudo when we are not root)
.venv/bin/python -m playwright install --with-deps chromium >&2
.venv/bin/python - <<'EOF'
from playwright.sync_api import sync_playwright

with sync_playwright() as p:
    print(p.chromium.executable_path)
EOF
