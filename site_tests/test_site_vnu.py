"""HTML conformance of the built site: the Nu Html Checker (vnu.jar, the W3C validator).

Every HTML file of SITE_DIR, the theme's own markup included (Material's base.html and partials,
templates/theme/), must give zero errors (warnings are not checked). vnu.jar comes from npm
(vnu-jar, exact version in package-lock.json) and runs on the system Java (11 or later); both
are installed by site_tests/install.sh. Nothing is skipped: a missing java or vnu.jar fails
with the reason.

The second test proves that the check can fail: a copy of a built page with a duplicate id
and a stray end tag must be reported.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import HERE

VNU_JAR = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = os.environ.get("JAVA") or shutil.which("java") or "/usr/bin/java"
VNU_HINT = "run `bash site_tests/install.sh` (apt-get install -y default-jre-headless; npm ci in site_tests/)"
EXAMPLES = 3  # places shown for each distinct message in a failure message
FROZEN = re.compile(r"archive/(\d{4})/")  # snapshots of past years, relative to the site root
TIMEOUT = 1800  # seconds; the demo site (about 420 pages) takes 1-3 minutes on 2 cores


def run_vnu(*paths: Path) -> list[dict]:
    """The messages of `vnu.jar --skip-non-html --errors-only --format json PATH...` (errors only)."""
    if not Path(JAVA).is_file() and not shutil.which(JAVA):
        pytest.fail(f"java not found ({JAVA}; set JAVA or put java on PATH): {VNU_HINT}", pytrace=False)
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR} does not exist: {VNU_HINT}", pytrace=False)
    command = [JAVA, "-jar", str(VNU_JAR), "--skip-non-html", "--errors-only", "--format", "json",
               *map(str, paths)]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT)
    except OSError as exc:
        pytest.fail(f"cannot run {JAVA}: {exc}: {VNU_HINT}", pytrace=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(command)} did not finish in {TIMEOUT} s", pytrace=False)
    # vnu writes its JSON report to stderr; exit status 1 means "errors found".
    out = proc.stderr.strip() or proc.stdout.strip()
    try:
        report = json.loads(out)
    except ValueError:
        pytest.fail(f"{' '.join(command)} exited with {proc.returncode} and no JSON report:\n{out[:3000]}",
                    pytrace=False)
    messages = report.get("messages")
    if not isinstance(messages, list):
        pytest.fail(f"unexpected vnu report (no messages list): {out[:1000]}", pytrace=False)
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and not messages):
        pytest.fail(f"{' '.join(command)} exited with {proc.returncode}:\n{out[:3000]}", pytrace=False)
    return messages


def relative(message: dict, root: Path) -> str:
    """The file of a vnu message, relative to `root` when it is inside it."""
    name = message.get("url", "").removeprefix("file:")
    try:
        return Path(name).relative_to(root).as_posix()
    except ValueError:
        return name


def describe(message: dict, root: Path) -> str:
    line = message.get("lastLine", message.get("firstLine", "?"))
    column = message.get("firstColumn", message.get("lastColumn", "?"))
    extract = " ".join(message.get("extract", "").split())
    return f"{relative(message, root)}:{line}:{column}" + (f": {extract[:160]}" if extract else "")


def format_messages(messages: list[dict], root: Path) -> str:
    """Each distinct message with its count, the number of files and its first EXAMPLES places."""
    groups: dict[str, list[dict]] = {}
    for message in messages:
        groups.setdefault(message.get("message", ""), []).append(message)
    lines = [f"{len(messages)} vnu error(s) in {root}, {len(groups)} distinct:"]
    for text, group in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        files = len({m.get("url") for m in group})
        lines.append(f"- {len(group)} × in {files} file(s): {text}")
        lines.extend("  " + describe(m, root) for m in group[:EXAMPLES])
    frozen = [FROZEN.match(relative(m, root)) for m in messages]
    years = sorted({match.group(1) for match in frozen if match})
    if years:
        lines.append(f"{sum(map(bool, frozen))} of them are in the frozen snapshots archive/{{{','.join(years)}}}/, "
                     "copied byte for byte from the project's archive/<year>/site/: once the theme is fixed, "
                     "freeze each year again (python -m generator snapshot YEAR --correction \"...\").")
    return "\n".join(lines)


def test_site_html_is_valid(site_dir):
    """Every page of the site, the frozen snapshots (archive/<year>/) included. A snapshot is copied
    byte for byte as it was published; when its markup is wrong, mending it is a correction of the
    snapshot (`snapshot YEAR --correction`, published on «Архив»), which the failure message names."""
    pages = list(site_dir.rglob("*.html"))
    assert pages, f"{site_dir}: no HTML files"
    messages = run_vnu(site_dir)
    if messages:
        pytest.fail(format_messages(messages, site_dir), pytrace=False)


def test_vnu_reports_broken_markup(site_dir, tmp_path):
    """Meta-test: vnu finds a duplicate id and a stray </div> added to a copy of the home page,
    and does not report them in an unchanged copy (so it is the breakage that is reported)."""
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    assert 'id="__drawer"' in html and "</body>" in html, "the home page has no Material drawer toggle"
    # A second element with the id of Material's drawer toggle, and an end tag with nothing open.
    broken = html.replace("</body>", '<span id="__drawer"></span></div></body>', 1)
    for name, text in (("original", html), ("broken", broken)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(text, encoding="utf-8")
    messages = run_vnu(tmp_path)
    found = {name: [m.get("message", "") for m in messages if m.get("type") == "error"
                    and relative(m, tmp_path) == f"{name}/index.html"] for name in ("original", "broken")}
    report = format_messages(messages, tmp_path)
    for expected in ("Duplicate ID “__drawer”", "Stray end tag “div”"):
        assert any(expected in text for text in found["broken"]), f"not reported: {expected}\n{report}"
        assert not any(expected in text for text in found["original"]), f"in the unchanged page: {expected}\n{report}"
