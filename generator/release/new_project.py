"""`python -m generator new DIR`: a new site project that builds at once.

The starter files are templates/project/ (site.yml with comments, the tables with their headers
and example rows, requirements.txt pinning this generator's version, a README for the
department) and the CI template (ci/github-pages.yml → .github/workflows/pages.yml). Nothing is
written into a folder that already has files in it, and a failure leaves no half-made project.
"""
from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from generator.errors import InputError, os_reason
from generator.paths import REPO, TEMPLATES
from generator.version import generator_version

STARTER = TEMPLATES / "project"
CI_TEMPLATE = REPO / "ci" / "github-pages.yml"
RENAMED = {"gitignore": ".gitignore"}  # kept without the dot in the generator so that git tracks it as a file


def create(folder: Path, municipality: str = "", today: date | None = None) -> str:
    """Write the starter project into `folder` (new or empty); returns what to do next, in Russian."""
    folder = folder.resolve()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputError(f"{folder}: папка уже существует и не пуста — укажите новую или пустую папку")
    values = {"__MUNICIPALITY__": municipality.strip() or "Название муниципалитета",
              "__YEAR__": str((today or date.today()).year), "__VERSION__": generator_version()}
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=folder.parent))
        try:
            for source in sorted(STARTER.rglob("*")):
                if source.is_dir():
                    continue
                relative = source.relative_to(STARTER)
                target = work / relative.parent / RENAMED.get(relative.name, relative.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                text = source.read_text(encoding="utf-8")
                for key, value in values.items():
                    text = text.replace(key, value)
                target.write_text(text, encoding="utf-8", newline="\n")
            workflow = work / ".github" / "workflows" / "pages.yml"
            workflow.parent.mkdir(parents=True)
            shutil.copyfile(CI_TEMPLATE, workflow)
            work.chmod(0o755)  # mkdtemp makes it private
            if folder.exists():
                folder.rmdir()  # empty: checked above
            work.rename(folder)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    except OSError as err:
        raise InputError(f"{folder}: проект не создан ({os_reason(err)})") from None
    return (f"Проект сайта создан: {folder}\n"
            f"Дальше: заполните site.yml и таблицы (формат — docs/data-contract.md генератора), затем\n"
            f"  python -m generator validate --project {folder}\n"
            f"  python -m generator build --project {folder} --out {folder / 'site'}")
