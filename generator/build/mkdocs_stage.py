"""The only MkDocs-specific stage: the config that INHERITs the repository's mkdocs.yml, the
`mkdocs build --strict` child process, and the clean-up of what it wrote.

Everything before this stage writes plain Markdown, SVG and open-data files; MkDocs is run as a
command, never imported, so the generator depends on no MkDocs or Material internals.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

from generator.errors import BuildFailed
from generator.files import link, walk_files, write_atomic, write_text
from generator.paths import BASE_CONFIG, THEME

PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder that holds generator/


# Folders of files the generator writes for each school (charts, open data, embed pages, badges):
# tens of thousands at 5,000 schools, which MkDocs would copy one by one into the site. They are
# excluded from the build (`exclude_docs`, a documented option: MkDocs still checks every link to
# them, reporting it at INFO level only) and linked into the site after MkDocs (`link_static`).
STATIC_FOLDERS = ("charts", "data", "embed", "badge")


def child_config(dataset, docs_dir: Path, site_dir: Path) -> dict:
    site = dataset.site
    return {
        "INHERIT": str(BASE_CONFIG),
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "exclude_docs": "".join(f"/{folder}/\n" for folder in STATIC_FOLDERS),
        "site_name": f"Проект «500+»: {site.municipality}",
        "site_url": site.base_url,
        "copyright": f"{site.department}. Данные — открытая лицензия CC BY 4.0.",
        "theme": {"custom_dir": str(THEME)},
        "extra": {"demo": site.demo, "municipality": site.municipality, "department": site.department,
                  "as_of": site.as_of.isoformat() if site.as_of else "", "demo_note": site.demo_note},
    }


STYLESHEET = "assets/stylesheets/site-bundle.css"  # the one stylesheet every page links (main.html)
_SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/")


def material_stylesheets() -> list[Path]:
    """Material's own main and palette stylesheets, as its package ships them (names carry a hash)."""
    spec = importlib.util.find_spec("material")
    folder = Path(spec.origin).parent / "templates" / "assets" / "stylesheets" if spec and spec.origin else None
    found = []
    for pattern in ("main.*.min.css", "palette.*.min.css"):
        matches = sorted(folder.glob(pattern)) if folder and folder.is_dir() else []
        if len(matches) != 1:
            raise BuildFailed(f"таблица стилей темы Material {pattern} не найдена в {folder} (найдено {len(matches)}): "
                              "проверьте установку mkdocs-material")
        found.append(matches[0])
    return found


def write_stylesheet(docs_dir: Path) -> None:
    """One render-blocking stylesheet instead of three: Material's main and palette, then the site's
    own (the order base.html links them in), joined into docs/STYLESHEET. main.html links only it."""
    parts = [_SOURCE_MAP.sub("", path.read_text(encoding="utf-8")) for path in material_stylesheets()]
    parts.append((THEME / "assets" / "stylesheets" / "site.css").read_text(encoding="utf-8"))
    write_text(docs_dir / STYLESHEET, "\n".join(part.strip() for part in parts) + "\n")


def run_mkdocs(config: Path, as_of: date | None = None) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0", "TZ": "UTC", "LC_ALL": "C.UTF-8"}
    # mkdocs.yml names this package's Markdown extension (build/passthrough.py): the child must
    # import the same generator as this process, wherever it was started from.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))
    # MkDocs stamps its build date into sitemap.xml(.gz): make it the data's date, not the clock.
    stamp = datetime.combine(as_of or date(2000, 1, 1), datetime.min.time(), tzinfo=timezone.utc)
    env["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    # No --quiet: in MkDocs 1.6 it filters warnings before the strict-mode counter sees them,
    # so `--strict --quiet` passes a build with warnings. The output is captured instead.
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise BuildFailed(f"mkdocs build --strict завершился с ошибкой:\n{proc.stdout}{proc.stderr}")


def link_static(docs: Path, site: Path) -> int:
    """The STATIC_FOLDERS' files into the built site, as hard links (a copy across file systems).
    Nothing writes them in place afterwards (prune_site replaces a page it changes). Returns the count."""
    count = 0
    for folder in STATIC_FOLDERS:
        for path in walk_files(docs / folder):
            relative = path.relative_to(docs)
            link(str(path), str(site / relative))
            count += 1
    return count


_PRE = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.S | re.I)
_INDENT = re.compile(r"\n[ \t]+")
_BLANK = re.compile(r"\n{2,}")


def collapse_indentation(html: str) -> str:
    """Drop template indentation and blank lines outside <pre>/<textarea>; a newline stays a space."""
    parts = _PRE.split(html)
    return "".join(part if i % 2 else _BLANK.sub("\n", _INDENT.sub("\n", part)) for i, part in enumerate(parts))


_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="off"')


def valid_toggles(html: str) -> str:
    """Material's base.html puts autocomplete="off" on its drawer and search checkboxes, which HTML
    does not allow on a checkbox (the Nu HTML Checker's only error on our pages); the attribute sits
    outside every template block, so it is dropped here rather than by copying base.html."""
    return _CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)


def prune_site(site: Path, search_entries: list[dict[str, str]] = ()) -> None:
    """Make the built site smaller without changing what a reader gets.

    Removes files a browser never loads for this site (source maps, search languages other than
    Russian, Material's stylesheets that site-bundle.css joins), drops the template indentation and
    the checkboxes' invalid autocomplete attribute from the pages, adds `search_entries` (the
    school pages', render/search_entries.py) to the search index and re-encodes it as UTF-8
    instead of \\uXXXX escapes (the same JSON, 2.4 times smaller for Russian text).
    """
    index = site / "search" / "search_index.json"
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        data["docs"].extend(search_entries)
        index.write_text(json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
                         encoding="utf-8", newline="\n")
    for page in site.rglob("*.html"):
        parts = page.relative_to(site).parts
        if parts[0] == "archive" and len(parts) > 2:  # frozen snapshots (archive/<year>/) are copied byte for byte
            continue
        text = page.read_text(encoding="utf-8")
        pruned = valid_toggles(collapse_indentation(text))
        if pruned != text:  # a new file, never written in place: it may be a link (link_static)
            write_atomic(page, pruned.encode("utf-8"))
    for path in site.rglob("*.map"):
        path.unlink()
    styles = site / "assets" / "stylesheets"
    if (site / STYLESHEET).is_file():  # the pages link only the joined stylesheet
        for path in [*styles.glob("main.*.min.css"), *styles.glob("palette.*.min.css"), styles / "site.css"]:
            path.unlink(missing_ok=True)
    lunr = site / "assets" / "javascripts" / "lunr"
    for name in ("tinyseg.js", "wordcut.js"):
        (lunr / name).unlink(missing_ok=True)
    keep = {"lunr.ru.min.js", "lunr.multi.min.js", "lunr.stemmer.support.min.js"}
    for path in (lunr / "min").glob("*.js") if (lunr / "min").is_dir() else ():
        if path.name not in keep:
            path.unlink()
