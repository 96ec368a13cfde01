"""Reference output of the fixture tests/fixtures/mini, stored in tests/reference/mini/.

The fixture is built without MkDocs (``build --no-mkdocs``), which writes the generated docs folder:
Markdown pages (including the copies of content/), open data (data/*.csv, data/*.json,
data/datapackage.json), charts SVG, embed pages and badges for school sites, the Atom feed and
versions.json. Every one of these files is text, the same on every machine and at every date (no paths,
no build clock), and together they are about 270 KB, so the whole folder is stored.

tests/test_reference.py builds the fixture on every test run and compares the result with the stored
tree. When a change of the output is intended, regenerate the tree and review it with git:

    make reference                      (the same as: .venv/bin/python tests/reference.py)
    git diff --stat tests/reference/

``--check`` compares without writing anything. The generator is driven only through its command line
(``python -m generator``), so nothing here depends on where its modules live.
"""
from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "mini"
REFERENCE = REPO / "tests" / "reference" / "mini"
REGENERATE = "make reference"
DIFF_LINES = 40  # lines of unified diff shown for one changed file
DIFF_FILES = 10  # changed files shown with a diff; the others are only listed


class BuildFailed(Exception):
    """`python -m generator build` failed, or wrote something that cannot be a reference."""


def build(work: Path) -> Path:
    """Build the fixture into `work`/out with an empty build cache in `work`/cache; returns the out folder.

    The same step for the test and for the regeneration: one code path."""
    out, cache = work / "out", work / "cache"
    env = {**os.environ, "SHNOR_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "generator", "build", "--data", str(FIXTURE), "--out", str(out),
               "--no-mkdocs", "--quiet"]
    proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildFailed(f"python -m generator build --data {_shown(FIXTURE)} exited with {proc.returncode}:\n"
                          f"{proc.stderr}{proc.stdout}")
    return out


# The joined stylesheet is Material's CSS plus templates/theme's: not the generator's output about the
# data, and it changes with every Material release (tests/test_build.py checks it is written).
NOT_COMPARED = frozenset({"assets/stylesheets/site-bundle.css"})


def files(tree: Path) -> dict[str, Path]:
    """Relative POSIX path → file, for every file under `tree` (none when `tree` does not exist)."""
    if not tree.is_dir():
        return {}
    return {rel: path for path in sorted(tree.rglob("*"))
            if path.is_file() and (rel := path.relative_to(tree).as_posix()) not in NOT_COMPARED}


def machine_paths(tree: Path) -> list[str]:
    """Files under `tree` that contain a path of this machine: the repository, the build folder, the home."""
    needles = {str(REPO), str(tree.resolve().parent)}
    home = str(Path.home())
    if len(home) > 1:
        needles.add(home)
    found = []
    for name, path in files(tree).items():
        data = path.read_bytes()
        found += [f"{name}: {needle}" for needle in sorted(needles) if needle.encode() in data]
    return found


@dataclass
class Differences:
    built: Path
    reference: Path
    missing: list[str]  # in the reference, not written by the build
    extra: list[str]  # written by the build, not in the reference
    changed: list[str]

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra or self.changed)

    def report(self) -> str:
        lines = [f"The build of {_shown(FIXTURE)} differs from the reference {_shown(self.reference)}/ "
                 f"(missing {len(self.missing)}, extra {len(self.extra)}, changed {len(self.changed)})."]
        if self.missing:
            lines.append(f"Files missing from the build (in the reference only): {len(self.missing)}")
            lines += [f"  - {name}" for name in self.missing]
        if self.extra:
            lines.append(f"Extra files in the build (not in the reference): {len(self.extra)}")
            lines += [f"  + {name}" for name in self.extra]
        if self.changed:
            lines.append(f"Changed files: {len(self.changed)}")
            for number, name in enumerate(self.changed):
                if number == DIFF_FILES:
                    lines.append(f"  … and {len(self.changed) - DIFF_FILES} more changed files:")
                    lines += [f"  ~ {other}" for other in self.changed[DIFF_FILES:]]
                    break
                lines.append(f"  ~ {name}")
                lines += ["    " + line for line in _diff(self.reference / name, self.built / name, name)]
        lines.append(f"If this change of the output is intended, regenerate the reference with `{REGENERATE}` "
                     f"and review it: git diff tests/reference/")
        return "\n".join(lines)


def compare(built: Path, reference: Path = REFERENCE) -> Differences:
    """Byte-for-byte comparison of two trees; the Differences are false when they hold the same files."""
    new, old = files(built), files(reference)
    changed = [name for name in sorted(new.keys() & old.keys()) if new[name].read_bytes() != old[name].read_bytes()]
    return Differences(built, reference, sorted(old.keys() - new.keys()), sorted(new.keys() - old.keys()), changed)


def _diff(old: Path, new: Path, name: str) -> list[str]:
    """The first DIFF_LINES lines of a unified diff, reference → build."""
    before, after = old.read_bytes(), new.read_bytes()
    try:
        a, b = before.decode("utf-8"), after.decode("utf-8")
    except UnicodeDecodeError:
        return [f"(not UTF-8 text: {len(before)} bytes in the reference, {len(after)} bytes built)"]
    if a.replace("\r\n", "\n") == b.replace("\r\n", "\n"):
        return ["(only the line endings differ: CRLF / LF)"]
    lines = []
    for line in difflib.unified_diff(a.splitlines(keepends=True), b.splitlines(keepends=True),
                                     f"reference/{name}", f"build/{name}"):
        lines.append(line.rstrip("\n"))
        if not line.endswith("\n"):
            lines.append("\\ No newline at end of file")
    if len(lines) > DIFF_LINES:
        lines = lines[:DIFF_LINES] + [f"… {len(lines) - DIFF_LINES} more diff lines"]
    return lines


def regenerate(reference: Path = REFERENCE) -> Differences:
    """Build the fixture and replace `reference` with the result; returns what changed.

    The build goes into a temporary folder and is checked first; only then is the old tree renamed away
    and the new one renamed into place (same file system), so a failed build leaves the old reference
    as it was."""
    with tempfile.TemporaryDirectory(prefix="shnor-reference-") as work:
        built = build(Path(work))
        leaks = machine_paths(built)
        if leaks:
            raise BuildFailed("the build contains paths of this machine:\n  "
                              + "\n  ".join(leaks))
        if not files(built):
            raise BuildFailed("the build wrote no files")
        changes = compare(built, reference)
        reference.parent.mkdir(parents=True, exist_ok=True)
        holder = Path(tempfile.mkdtemp(prefix=f".{reference.name}.", dir=reference.parent))
        try:
            shutil.copytree(built, holder / "new")
            for name in NOT_COMPARED:
                (holder / "new" / name).unlink(missing_ok=True)
            for folder in sorted((holder / "new").rglob("*"), reverse=True):
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
            if reference.exists():
                reference.rename(holder / "old")
            (holder / "new").rename(reference)
        except BaseException:
            if not reference.exists() and (holder / "old").exists():
                (holder / "old").rename(reference)
            raise
        finally:
            shutil.rmtree(holder, ignore_errors=True)
    return changes


def _shown(path: Path) -> str:
    try:
        return path.relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tests/reference.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare with the stored tree, write nothing")
    args = parser.parse_args(argv)
    try:
        if args.check:
            with tempfile.TemporaryDirectory(prefix="shnor-reference-") as work:
                differences = compare(build(Path(work)))
                print(differences.report() if differences else f"{_shown(REFERENCE)}/ is up to date.")
                return 1 if differences else 0
        changes = regenerate()
    except BuildFailed as err:
        print(f"error: {err}", file=sys.stderr)
        if not args.check:
            print(f"{_shown(REFERENCE)}/ is left as it was.", file=sys.stderr)
        return 1
    stored = files(REFERENCE)
    size = sum(path.stat().st_size for path in stored.values())
    print(f"{_shown(REFERENCE)}/: {len(stored)} files, {size:,} bytes; added {len(changes.extra)}, "
          f"removed {len(changes.missing)}, changed {len(changes.changed)}.")
    for sign, names in (("+", changes.extra), ("-", changes.missing), ("~", changes.changed)):
        for name in names:
            print(f"  {sign} {name}")
    if changes:
        print("Review the change before committing it: git diff tests/reference/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
