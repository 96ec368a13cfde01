"""`python -m generator serve`: MkDocs live preview that also regenerates when data/templates/content change.

MkDocs runs the hook below before every (re)build; the hook regenerates the pages into a scratch
folder and copies only files whose bytes changed into the served docs folder, so a rebuild does
not trigger another one.
"""
from __future__ import annotations

import filecmp
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from generator.errors import DataErrors
from generator.files import write_text
from generator.paths import CHECKOUT, CONTENT, TEMPLATES
from generator.build.site import Steps, generate

log = logging.getLogger(__name__)
WORK = (CHECKOUT or Path.cwd()) / ".build"  # installed: in the site project's folder
HOOK = Path(__file__).resolve().parent / "mkdocs_hook.py"


def sync_tree(source: Path, target: Path) -> int:
    """Make `target` equal to `source`, touching only changed files. Returns how many changed."""
    changed = 0
    wanted = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    for rel in sorted(wanted):
        src, dst = source / rel, target / rel
        if dst.is_file() and filecmp.cmp(src, dst, shallow=False):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        changed += 1
    if target.exists():
        for path in sorted(target.rglob("*"), reverse=True):
            rel = path.relative_to(target)
            if path.is_file() and rel not in wanted:
                path.unlink()
                changed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed


def regenerate(data_dir: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="regen-", dir=WORK) as scratch:
        generate(data_dir, Path(scratch), Steps(4, False))
        return sync_tree(Path(scratch) / "docs", WORK / "docs")


def serve(data_dir: Path, address: str = "127.0.0.1:8000") -> int:
    WORK.mkdir(exist_ok=True)
    regenerate(data_dir)
    with tempfile.TemporaryDirectory(prefix="cfg-", dir=WORK) as scratch:
        generate(data_dir, Path(scratch), Steps(4, False))
        child = yaml.safe_load((Path(scratch) / "mkdocs.yml").read_text(encoding="utf-8"))
    child.pop("exclude_docs", None)  # the preview serves the docs folder itself: charts and data included
    child["docs_dir"] = str(WORK / "docs")
    child["site_dir"] = str(WORK / "site")
    child["site_url"] = f"http://{address}/"  # serve at the root, not under the public site's path
    child["hooks"] = [str(HOOK)]
    child["watch"] = [str(data_dir.resolve()), str(TEMPLATES), str(CONTENT)]  # the theme is inside templates/
    write_text(WORK / "mkdocs.yml", yaml.safe_dump(child, allow_unicode=True, sort_keys=True))
    env = {**os.environ, "SHNOR_DATA_DIR": str(data_dir.resolve()), "NO_MKDOCS_2_WARNING": "1"}
    print(f"Предпросмотр: http://{address}/ (Ctrl+C — остановить)", file=sys.stderr)
    return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "-a", address, "-f", str(WORK / "mkdocs.yml")],
                           env=env, cwd=CHECKOUT or Path.cwd())


def regenerate_for_hook() -> None:
    data_dir = Path(os.environ.get("SHNOR_DATA_DIR", "."))  # serve() always sets it
    try:
        changed = regenerate(data_dir)
        if changed:
            log.info("Страницы обновлены из данных: изменено файлов %d", changed)
    except DataErrors as err:
        # Keep serving the last good pages; show what to fix.
        log.error("Данные не прошли проверку, показана прежняя версия:\n%s", err)
