"""Files, safely: atomic writes, hard links to cache entries, checksums, swapping folders."""
from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import pickle
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same directory + os.replace: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


MISSING = object()  # read_pickle: nothing usable at that path


def read_pickle(path: Path) -> object:
    """A pickle from our own cache folder (trusted like the checkout), or MISSING when the file is
    absent or unreadable: a cache entry that does not load is simply rebuilt."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return MISSING


def write_pickle(path: Path, value: object) -> None:
    write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def link_or_write(path: Path, source: Path | None, data: bytes | None = None) -> None:
    """Put `source` at `path` as a hard link (thousands of cached files cost no copying), else
    write `data` (or the source's bytes) atomically. Cache entries are never modified in place,
    only replaced, so a link can never see a half-written file."""
    if source is not None:
        try:
            link(str(source), str(path))
            return
        except OSError:  # another file system, or links not allowed: copy instead
            pass
    write_atomic(path, data if data is not None else source.read_bytes())


# Why a hard link can fail where a copy works: another file system (a mounted web root, a CI
# volume), too many links to one file, or a file system without hard links.
_NO_LINK = {errno.EXDEV, errno.EMLINK, errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP}


def link(source: str, path: str) -> None:
    """Hard-link `source` to `path`, creating folders and replacing a file already there; a copy
    (written atomically) where a link is impossible. FileNotFoundError when `source` does not exist."""
    try:
        _link(source, path)
    except FileNotFoundError:
        raise
    except OSError as err:
        if err.errno not in _NO_LINK:
            raise
        write_atomic(Path(path), Path(source).read_bytes())


def _link(source: str, path: str) -> None:
    # The common case first, in one system call: the target's folder exists and the target does
    # not (tens of thousands of links per build; plain strings, no Path objects).
    try:
        os.link(source, path)
        return
    except FileNotFoundError:
        if not os.path.exists(source):
            raise
        os.makedirs(os.path.dirname(path), exist_ok=True)
    except FileExistsError:
        os.unlink(path)
    os.link(source, path)


def walk_files(base: Path, skip_dirs: frozenset[str] = frozenset()) -> list[Path]:
    """Files under `base`, sorted; hidden folders (.git) and __pycache__ skipped, and `skip_dirs` at
    the top. os.walk does not follow links to folders, so a link loop cannot make this run forever."""
    found = []
    for where, dirs, names in os.walk(base):
        top = Path(where) == base
        dirs[:] = [d for d in dirs if d != "__pycache__" and not d.startswith(".") and not (top and d in skip_dirs)]
        found += [Path(where, name) for name in names]
    return sorted(found)


def write_text(path: Path, text: str) -> None:
    """UTF-8 with LF line ends, creating folders (build outputs inside a fresh work folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


# --- checksums -------------------------------------------------------------------------------------

def sha256_parts(*parts: bytes) -> str:
    """One hex digest of several byte strings, each length-prefixed (so ("ab", "c") ≠ ("a", "bc"))."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def combined(hashes: dict[str, str]) -> str:
    """One checksum for a set of files (same format as `sha256sum` output, sorted)."""
    lines = "".join(f"{sha}  {name}\n" for name, sha in sorted(hashes.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


# --- swapping folders -------------------------------------------------------------------------------

def exchange(new: Path, old: Path) -> None:
    """Put directory `new` in place of `old` (which may not exist) in one step; `new` then holds the old one.

    Linux renameat2(RENAME_EXCHANGE) swaps two directories atomically: a reader sees either the old or
    the new tree, never none. Elsewhere, two renames (a window of microseconds without `old`).
    """
    if not old.exists():
        os.rename(new, old)
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        at_fdcwd, rename_exchange = -100, 2
        if renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(old), rename_exchange) == 0:
            return
    except (OSError, AttributeError):
        pass
    aside = old.with_name(f".{old.name}.old-{os.getpid()}")
    os.rename(old, aside)
    try:
        os.rename(new, old)
    except OSError:
        os.rename(aside, old)
        raise
    os.rename(aside, new)
