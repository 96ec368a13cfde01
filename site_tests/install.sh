#!/usr/bin/env bash
# Prerequisites of the browser tests (site_tests/): Debian's Chromium and axe-core, for the HTML check
# (test_site_vnu.py) a Java runtime (Debian's, 11 or later) and vnu-jar (the Nu Html Checker), and
# Lighthouse for test_site_lighthouse.py (it drives the same Debian Chromium, CHROME_PATH).
# Playwright cannot download its own browser here: do NOT run `playwright install`.
# Python packages (pytest, playwright) come from `pip install -e '.[test]'`.
# Idempotent: it installs only what is missing or not at the version package-lock.json pins.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

apt_packages=()
[ -x /usr/bin/chromium ] || apt_packages+=(chromium)
# vnu.jar needs Java 11 or later; Debian 12's default runtime is OpenJDK 17.
command -v java >/dev/null 2>&1 || apt_packages+=(default-jre-headless)
if [ "${#apt_packages[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${apt_packages[@]}"
fi

# axe-core, vnu-jar and lighthouse, exact versions from package-lock.json, into site_tests/node_modules.
# --ignore-scripts: vnu-jar's postinstall would download a Java runtime from GitHub when there is
# none on PATH; the tests use Debian's java instead (installed above).
outdated=""
for pkg in axe-core vnu-jar lighthouse; do
    want="$(node -p "require('$HERE/package.json').devDependencies['$pkg']")"
    have="$(node -p "try { require('$HERE/node_modules/$pkg/package.json').version } catch (e) { '' }")"
    [ "$want" = "$have" ] || outdated="$outdated $pkg"
done
if [ ! -f "$HERE/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
    outdated="$outdated vnu.jar"
fi
if [ -n "$outdated" ]; then
    echo "npm ci:$outdated"
    (cd "$HERE" && npm ci --no-audit --no-fund --ignore-scripts)
fi

/usr/bin/chromium --version
node -e "console.log('axe-core ' + require('$HERE/node_modules/axe-core/package.json').version)"
java -version 2>&1 | sed -n 1p
java -jar "$HERE/node_modules/vnu-jar/build/dist/vnu.jar" --version | sed 's/^/vnu.jar /'
node -e "console.log('lighthouse ' + require('$HERE/node_modules/lighthouse/package.json').version)"
