#!/usr/bin/env bash
# Prerequisites of the browser tests (site_tests/): Debian's Chromium and axe-core.
# Playwright cannot download its own browser here: do NOT run `playwright install`.
# Python packages (pytest, playwright) come from `pip install -e '.[test]'`.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
fi

# axe-core, exact version from package-lock.json, into site_tests/node_modules
want="$(node -p "require('$HERE/package.json').devDependencies['axe-core']")"
have="$(node -p "try { require('$HERE/node_modules/axe-core/package.json').version } catch (e) { '' }")"
if [ "$want" != "$have" ]; then
    (cd "$HERE" && npm ci --no-audit --no-fund)
fi

/usr/bin/chromium --version
node -e "console.log('axe-core ' + require('$HERE/node_modules/axe-core/package.json').version)"
