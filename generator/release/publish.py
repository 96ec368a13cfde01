"""Publishing: `make publish DEST=DIR` = `python -m generator publish --data data --dest DIR`.

1. build the site into a temporary folder next to DEST (same file system);
2. check the built site: required files, every archived year against its manifest, every link and
   resource inside the site resolves to a file, nothing is loaded from another host, every
   precompressed `X.gz` is X compressed;
3. only then put it in place of DEST in one step (Linux: renameat2 RENAME_EXCHANGE — a reader sees the
   old site or the new one, never a half-written or missing one), and delete the old tree.

Any failure before step 3 leaves DEST untouched and removes the temporary folder.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.errors import BuildFailed, InputError
from generator.files import exchange
from generator.build.archive import ARCHIVE, MANIFEST, YEAR_DIR, verify
from generator.build.precompress import check as check_copies
from generator.build.site import build_site

REQUIRED = ("index.html", "404.html", "sitemap.xml", "archive/index.html", "versions.json",
            "data/indicators.csv", "data/programme.csv", "data/datapackage.json", "search/search_index.json")
_ATTR = re.compile(r"""\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_LOADED = re.compile(r"""<(script|img|iframe|source|video|audio|embed)\b[^>]*\ssrc\s*=\s*["']([^"']+)["']"""
                     r"""|<link\b[^>]*\srel\s*=\s*["'](?:stylesheet|preload|icon|modulepreload)["'][^>]*>""", re.I)
_SKIP_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "#")


@dataclass(frozen=True)
class Published:
    dest: Path
    pages: int
    links: int
    seconds: float

    def __str__(self) -> str:
        return (f"Опубликовано в {self.dest}: страниц {self.pages}, проверено ссылок {self.links}, "
                f"за {self.seconds:.1f} с.")


def _target(site: Path, page: Path, link: str) -> Path | None:
    """The file a relative link of `page` points to, or None for links that are not checked."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(_SKIP_SCHEMES) or not parts.path:
        return None
    path = unquote(parts.path)
    base = site if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def check_site(site: Path) -> tuple[list[str], int]:
    """(problems, links checked) of a built site; no network."""
    site = site.resolve()
    problems = [f"нет обязательного файла {name}" for name in REQUIRED if not (site / name).is_file()]
    archive = site / ARCHIVE
    for year_dir in sorted(archive.iterdir()) if archive.is_dir() else ():
        if not (year_dir.is_dir() and YEAR_DIR.match(year_dir.name)):
            continue
        try:
            manifest = json.loads((year_dir / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            problems.append(f"{ARCHIVE}/{year_dir.name}: нет или не читается {MANIFEST}")
            continue
        problems += [f"{ARCHIVE}/{year_dir.name}: {p}" for p in verify(year_dir, manifest, prefix="site/")]
    problems += check_copies(site)  # every X.gz beside an X is X compressed (build/precompress.py)
    checked = 0
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if page.name == "404.html":  # MkDocs writes absolute links (site_url) into the error page
            continue
        html = page.read_text(encoding="utf-8", errors="replace")
        for match in _LOADED.finditer(html):
            tag = match.group(0)
            url = match.group(2) or (re.search(r"""\shref\s*=\s*["']([^"']+)["']""", tag) or [None, ""])[1]
            if urlsplit(url).scheme in ("http", "https") or url.startswith("//"):
                problems.append(f"{rel}: загружается ресурс с другого сайта: {url[:120]}")
        for match in _ATTR.finditer(html):
            link = match.group(2) if match.group(2) is not None else match.group(3)
            target = _target(site, page, link)
            if target is None:
                continue
            checked += 1
            if link.startswith("/"):
                problems.append(f"{rel}: ссылка от корня сервера «{link[:120]}» не работает, если сайт "
                                f"опубликован не в корне домена")
            elif not (target == site or site in target.parents) or not target.is_file():
                problems.append(f"{rel}: ссылка никуда не ведёт: {link[:120]}")
    return list(dict.fromkeys(problems)), checked  # a link repeated on a page is reported once


@contextlib.contextmanager
def _publishing(dest: Path) -> Iterator[None]:
    """One publish into `dest` at a time: a lock file next to it (released by the system when the
    process ends, however it ends). Holding it, the staging folders of killed publishes are ours to
    delete: otherwise each killed run would leave a copy of the site behind for ever."""
    lock_path = dest.parent / f".{dest.name}.publish.lock"
    with open(lock_path, "a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(f"в {dest} уже идёт другая публикация: дождитесь её окончания и повторите "
                             f"(одновременно две публикации в одну папку не выполняются)") from None
        for stale in dest.parent.glob(f".{dest.name}.publish-*"):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def publish(data_dir: Path, dest: Path, progress: bool = True, precompress: bool = True) -> Published:
    """Build, check, swap into `dest`. On any failure `dest` is left as it was.
    `precompress`: with the `X.gz` copies of build/precompress.py (`--no-precompress`: without)."""
    started = time.monotonic()
    dest = dest.resolve()
    if dest.exists() and not dest.is_dir():
        raise InputError(f"{dest} существует и это не папка")
    if dest == Path(dest.anchor) or dest == Path.cwd().resolve() or (dest / ".git").exists():
        raise InputError(f"{dest}: публиковать можно только в отдельную папку сайта (она будет заменена целиком)")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with _publishing(dest):
        staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.publish-", dir=dest.parent))
        try:
            summary = build_site(data_dir, staging / "site", progress=progress, precompress=precompress)
            problems, links = check_site(staging / "site")
            if problems:
                shown = "\n".join(f"  {p}" for p in problems[:30])
                more = f"\n  … и ещё {len(problems) - 30}" if len(problems) > 30 else ""
                raise BuildFailed(f"Собранный сайт не прошёл проверку перед публикацией (проблем {len(problems)}):\n"
                                  f"{shown}{more}")
            exchange(staging / "site", dest)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return Published(dest, summary.pages, links, time.monotonic() - started)
