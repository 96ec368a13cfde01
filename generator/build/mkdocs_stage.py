"""The only MkDocs-specific stage: the config that INHERITs the repository's mkdocs.yml, the
`mkdocs build --strict` child process, and the clean-up of what it wrote.

Everything before this stage writes plain Markdown, SVG and open-data files; MkDocs is run as a
command, never imported, so the generator depends on no MkDocs or Material internals.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

from generator.errors import BuildFailed
from generator.paths import BASE_CONFIG, THEME


def child_config(dataset, docs_dir: Path, site_dir: Path) -> dict:
    site = dataset.site
    return {
        "INHERIT": str(BASE_CONFIG),
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "site_name": f"Проект «500+»: {site.municipality}",
        "site_url": site.base_url,
        "copyright": f"{site.department}. Данные — открытая лицензия CC BY 4.0.",
        "theme": {"custom_dir": str(THEME)},
        "extra": {"demo": site.demo, "municipality": site.municipality, "department": site.department,
                  "as_of": site.as_of.isoformat() if site.as_of else "", "demo_note": site.demo_note},
    }


def run_mkdocs(config: Path, as_of: date | None = None) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0", "TZ": "UTC", "LC_ALL": "C.UTF-8"}
    # MkDocs stamps its build date into sitemap.xml(.gz): make it the data's date, not the clock.
    stamp = datetime.combine(as_of or date(2000, 1, 1), datetime.min.time(), tzinfo=timezone.utc)
    env["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    # No --quiet: in MkDocs 1.6 it filters warnings before the strict-mode counter sees them,
    # so `--strict --quiet` passes a build with warnings. The output is captured instead.
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise BuildFailed(f"mkdocs build --strict завершился с ошибкой:\n{proc.stdout}{proc.stderr}")


_PRE = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.S | re.I)
_INDENT = re.compile(r"\n[ \t]+")
_BLANK = re.compile(r"\n{2,}")


def collapse_indentation(html: str) -> str:
    """Drop template indentation and blank lines outside <pre>/<textarea>; a newline stays a space."""
    parts = _PRE.split(html)
    return "".join(part if i % 2 else _BLANK.sub("\n", _INDENT.sub("\n", part)) for i, part in enumerate(parts))


def prune_site(site: Path) -> None:
    """Make the built site smaller without changing what a reader gets.

    Removes files a browser never loads for this site (source maps, search languages other than
    Russian) and re-encodes the search index as UTF-8 instead of \\uXXXX escapes (the same JSON,
    2.4 times smaller for Russian text).
    """
    index = site / "search" / "search_index.json"
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        index.write_text(json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
                         encoding="utf-8", newline="\n")
    archive = site / "archive"
    for page in site.rglob("*.html"):
        if archive not in page.parents:  # frozen snapshots are copied byte for byte
            page.write_text(collapse_indentation(page.read_text(encoding="utf-8")), encoding="utf-8", newline="")
    for path in site.rglob("*.map"):
        path.unlink()
    lunr = site / "assets" / "javascripts" / "lunr"
    for name in ("tinyseg.js", "wordcut.js"):
        (lunr / name).unlink(missing_ok=True)
    keep = {"lunr.ru.min.js", "lunr.multi.min.js", "lunr.stemmer.support.min.js"}
    for path in (lunr / "min").glob("*.js") if (lunr / "min").is_dir() else ():
        if path.name not in keep:
            path.unlink()
