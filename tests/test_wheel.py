"""The generator as an installed, versioned package (issue #18).

The wheel is built from the checkout; a site project is made by `python -m generator new`; its
requirements.txt is pointed at the wheel; and the GitHub template's own `run:` commands for install,
validate and build (the steps with those ids, read from the project's .github/workflows/pages.yml) run
in the project folder with a fresh virtual environment's python first on PATH — as in the CI of a
department's repository, which has no copy of the generator.

Nothing is downloaded: the fresh environment sees the libraries of the environment running the tests
through a .pth file, so pip finds every dependency installed and adds only the wheel (PIP_NO_INDEX).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "ci" / "github-pages.yml"
STEPS = ("install", "validate", "build")  # ids of the steps of the GitHub template's build job
MUNICIPALITY = "Заречный район"
DEMO_WORDS = ("Демонстрационные данные", "Миллеров")  # the demo banner and the demo project's municipality
# What the wheel is built from: the checkout without what is not the generator (tests, examples, caches,
# builds). Copied so that setuptools' build/ and *.egg-info are written in the temporary folder.
NOT_SOURCE = {"build", "site", "examples", "tests", "site_tests", "bench", "docs", "test-output", "bench-output",
              "node_modules"}


def pyproject_version() -> str:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^version\s*=\s*"([^"]+)"', text, re.M).group(1)


def run(command: list[str], what: str, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        pytest.fail(f"{what}: код выхода {proc.returncode}\n$ {' '.join(command)}\n"
                    f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}", pytrace=False)
    return proc


def _ignore_for_source(folder: str, names: list[str]) -> set[str]:
    top = Path(folder) == REPO
    return {n for n in names if n == "__pycache__" or n.endswith(".egg-info")
            or (top and (n.startswith(".") or n in NOT_SOURCE))}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(REPO, source, ignore=_ignore_for_source)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--quiet",
         "-w", str(base / "dist"), str(source)], "pip wheel (сборка пакета генератора)")
    built = sorted((base / "dist").glob("shnor_site-*.whl"))
    assert [w.name for w in built] == [f"shnor_site-{pyproject_version()}-py3-none-any.whl"]
    return built[0]


def test_the_wheel_carries_every_file_the_generator_reads(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    own = [p for folder in ("templates", "content", "ci") for p in (REPO / folder).rglob("*")
           if p.is_file() and "__pycache__" not in p.parts]
    own.append(REPO / "mkdocs.yml")
    missing = [p.relative_to(REPO).as_posix() for p in own
               if f"generator/_files/{p.relative_to(REPO).as_posix()}" not in names]
    assert not missing, f"нет в пакете: {missing}"
    assert "generator/_files/templates/project/pages/.gitkeep" in names  # hidden files of the starter
    assert "generator/_files/templates/project/gitignore" in names
    # Every stage package (pyproject.toml lists them by name) and every module.
    code = [p.relative_to(REPO).as_posix() for p in (REPO / "generator").rglob("*.py") if "__pycache__" not in p.parts]
    assert [c for c in code if c not in names] == [], "пакет pyproject.toml [tool.setuptools] packages не указан"
    # Not the tests, the demo or the documentation.
    assert {n.split("/")[0] for n in names} == {"generator", f"shnor_site-{pyproject_version()}.dist-info"}


def test_ci_template_commands_in_a_site_project_installed_from_the_wheel(wheel, tmp_path):
    project = tmp_path / "site-project"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "SHNOR_CACHE_DIR",
                                                               "VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV")}
    # 1. The project, made by the checkout's generator.
    run([sys.executable, "-m", "generator", "new", str(project), "--municipality", MUNICIPALITY],
        "python -m generator new", cwd=REPO, env=env)
    requirements = project / "requirements.txt"
    lines = requirements.read_text(encoding="utf-8").splitlines()
    assert lines[-1] == f"shnor-site=={pyproject_version()}"  # the project pins the version it builds with
    requirements.write_text("\n".join(lines[:-1] + [f"shnor-site @ {wheel.as_uri()}"]) + "\n", encoding="utf-8")
    workflow = project / ".github" / "workflows" / "pages.yml"
    assert workflow.read_bytes() == TEMPLATE.read_bytes()

    # 2. A fresh environment that sees this one's libraries, but not the checkout.
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(environment)
    scheme = {"base": str(environment), "platbase": str(environment)}
    purelib = Path(sysconfig.get_path("purelib", vars=scheme))
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (purelib / "_test_dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(ours)), encoding="utf-8")
    bin_dir = environment / "bin"
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", PIP_NO_INDEX="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONDONTWRITEBYTECODE="1")

    # 3. The template's own commands, in the order of its steps.
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    by_id = {step["id"]: step for step in steps if "id" in step}
    assert [s["id"] for s in steps if s.get("id") in STEPS] == list(STEPS)
    for step_id in STEPS:
        script = by_id[step_id]["run"]
        # GitHub runs `run:` with `bash -e {0}` when the step names no shell.
        run(["bash", "-e", "-c", script], f"шаг «{by_id[step_id].get('name', step_id)}» шаблона CI", cwd=project,
            env=env)

    # 4. The site, built from the project's own data by the installed generator.
    index = project / "public" / "index.html"
    assert index.is_file()
    assert MUNICIPALITY in index.read_text(encoding="utf-8")
    for page in (project / "public").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not [w for w in DEMO_WORDS if w in text], page
    assert (project / ".cache" / "build").is_dir()  # installed, the cache is .cache/ of the current folder

    python = str(bin_dir / "python")
    version = run([python, "-m", "generator", "--version"], "python -m generator --version", cwd=project, env=env)
    assert version.stdout.strip() == f"shnor-site {pyproject_version()}"  # 0.2.0 at issue #18
    where = run([python, "-c", "import generator, generator.paths as p; print(generator.__file__); print(p.FILES)"],
                "import generator", cwd=project, env=env).stdout.split()
    for path in where:
        assert Path(path).is_relative_to(purelib) and not Path(path).is_relative_to(REPO), where
    # Installed, the fingerprint that keys cached pages and that snapshots record still covers the
    # code: the package's own .py files, named as in the repository.
    names = run([python, "-c", "from generator.version import code_files; print('\\n'.join(code_files()))"],
                "code_files", cwd=project, env=env).stdout.split()
    assert "generator/compute/indicators.py" in names and "templates/pages/school.md.j2" in names
    assert "mkdocs.yml" in names
