"""What made a site: the generator's version and a fingerprint of every file that shapes its output.

One list of those files (`code_files`) serves both the build cache's code version
(build/bundles.py) and the fingerprint a snapshot's manifest records (release/snapshot.py), so
code added in a new subfolder of generator/ can never drop out of either. The benchmark's data
maker lives in bench/, outside this list: editing it invalidates no cached school page.
"""
from __future__ import annotations

import re
from pathlib import Path

from generator.files import combined, sha256_file, walk_files
from generator.paths import PACKAGE, REPO

# Relative to the checkout: generator/ (*.py only), templates/ (every file), content/*.md, mkdocs.yml.
CODE_FOLDERS = ("generator", "templates", "content")


def generator_version(root: Path = REPO) -> str:
    """The `version` of pyproject.toml in a checkout; installed (no pyproject.toml next to the
    package), the version of the installed distribution shnor-site."""
    from importlib import metadata

    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        match = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text(encoding="utf-8"), re.M)
        return match.group(1) if match else "unknown"
    try:
        return metadata.version("shnor-site")
    except metadata.PackageNotFoundError:
        return "unknown"


def code_files(root: Path = REPO) -> dict[str, Path]:
    """Every file that turns data into the site, by its name in the repository, sorted: the code
    (generator/**/*.py), templates, generic pages and base config. Installed from a wheel, the
    code is the package itself and the rest is generator/_files (see paths.py)."""
    code = root / "generator" if (root / "generator").is_dir() else PACKAGE
    files = {f"generator/{p.relative_to(code).as_posix()}": p for p in walk_files(code) if p.suffix == ".py"}
    files |= {p.relative_to(root).as_posix(): p for p in walk_files(root / "templates")}
    files |= {p.relative_to(root).as_posix(): p for p in walk_files(root / "content") if p.suffix == ".md"}
    files["mkdocs.yml"] = root / "mkdocs.yml"
    return {name: files[name] for name in sorted(files) if files[name].is_file()}


def fingerprint(root: Path = REPO) -> str:
    """sha256 over `code_files` (in the format of `sha256sum` output, see files.combined)."""
    return combined({name: sha256_file(path) for name, path in code_files(root).items()})
