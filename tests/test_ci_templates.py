"""CI templates (ci/*.yml) for a site project's repository: valid YAML, the generator installed from
requirements.txt, only generator commands that exist and always on `--project .`, the stages in order.

That the commands really work in a project made by `python -m generator new` with the generator
installed from a wheel is tests/test_wheel.py.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.cli import _parser

REPO = Path(__file__).resolve().parent.parent
GITHUB = REPO / "ci" / "github-pages.yml"
GITLAB = REPO / "ci" / "gitlab-ci.yml"
INSTALL = "python -m pip install -r requirements.txt"
GENERATOR_CALL = re.compile(r"-m\s+generator\s+([a-z][\w-]*)([^\n]*)")
MAKE_CALL = re.compile(r"(?<![\w.-])make\s")
GITLAB_KEYWORDS = {"workflow", "stages", "variables", "default", "include", "image", "services", "cache",
                   "before_script", "after_script"}
# Commands that work on a site project (every one but `new` and `diff`, which take folders).
PROJECT_COMMANDS = {"validate", "build", "serve", "snapshot", "publish"}


def generator_commands() -> set[str]:
    subparsers = next(a for a in _parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    return set(subparsers.choices)


def github_doc() -> dict:
    return yaml.safe_load(GITHUB.read_text(encoding="utf-8"))


def gitlab_doc() -> dict:
    return yaml.safe_load(GITLAB.read_text(encoding="utf-8"))


def github_steps() -> list[tuple[str, dict]]:
    return [(job, step) for job, spec in github_doc()["jobs"].items() for step in spec.get("steps", [])]


def gitlab_jobs() -> dict[str, dict]:
    return {name: spec for name, spec in gitlab_doc().items()
            if name not in GITLAB_KEYWORDS and not name.startswith(".")}


def _lines(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def gitlab_scripts(with_default: bool = True) -> list[tuple[str, str]]:
    """(job, script line) of every job; a job without its own before_script runs the default one."""
    default = gitlab_doc().get("default", {})
    out = []
    for name, spec in gitlab_jobs().items():
        for key in ("before_script", "script", "after_script"):
            lines = spec[key] if key in spec else (default.get(key) if with_default else None)
            out += [(name, line) for line in _lines(lines)]
    return out


def commands() -> list[tuple[str, str]]:
    return [(f"github:{job}", step["run"]) for job, step in github_steps() if "run" in step] + \
        [(f"gitlab:{job}", script) for job, script in gitlab_scripts()]


def test_templates_parse_as_yaml():
    for path in (GITHUB, GITLAB):
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path


@pytest.mark.parametrize("where, script", commands())
def test_only_generator_commands_that_exist_on_the_project(where, script):
    subcommands = generator_commands()
    for match in GENERATOR_CALL.finditer(script):
        command, rest = match.groups()
        assert command in subcommands, f"{where}: python -m generator {command} — нет такой команды"
        if command in PROJECT_COMMANDS:
            assert re.search(r"--project\s+\.(\s|$)", rest), f"{where}: python -m generator {command} без --project ."
    # A site project's repository has no Makefile, no lock file and no copy of the generator.
    assert not MAKE_CALL.search(script), f"{where}: make — в репозитории проекта сайта нет Makefile"
    for word in ("requirements.lock", ".venv/bin/python -m generator", "git clone", "unit-test", "pytest"):
        assert word not in script, f"{where}: {word}"


def test_generator_commands_seen():
    assert {"new", "validate", "build", "snapshot", "diff", "publish"} <= generator_commands()
    used = {m.group(1) for _, script in commands() for m in GENERATOR_CALL.finditer(script)}
    assert {"validate", "publish", "diff"} <= used


def _first(lines: list[str], pattern: str) -> int:
    return next(i for i, line in enumerate(lines) if re.search(pattern, line))


ORDER = (re.escape(INSTALL), r"-m generator validate --project \.", r"-m generator publish --project \. --dest public",
         r"-m generator diff")


def test_github_order_and_deploy():
    doc = github_doc()
    triggers = doc.get("on", doc.get(True))  # YAML 1.1 reads the key `on` as True
    assert {"push", "pull_request", "workflow_dispatch"} <= set(triggers)
    steps = doc["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    positions = [_first(runs, p) for p in ORDER]
    assert positions == sorted(positions)
    # The steps tests/test_wheel.py runs: found by id.
    by_id = {step["id"]: step for step in steps if "id" in step}
    assert by_id["install"]["run"].splitlines()[0] == INSTALL
    assert by_id["validate"]["run"] == "python -m generator validate --project ."
    assert by_id["build"]["run"] == "python -m generator publish --project . --dest public"
    setup = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache-dependency-path"] == "requirements.txt"
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"].split() == [".cache/charts", ".cache/build", ".cache/jinja", ".cache/parse",
                                             ".cache/usage"]
    assert "hashFiles('requirements.txt')" in cache["with"]["key"]  # a new generator version: an empty cache
    assert "--accept-removals" in by_id["report"]["run"] and "ACCEPT_REMOVALS" in doc["env"]
    uses = [step.get("uses", "") for _, step in github_steps()]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    deploy = doc["jobs"]["deploy"]
    assert deploy["needs"] == "build" and "pull_request" in deploy["if"]
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    # Pull requests: a preview build and the report as a comment.
    named = {step.get("name", ""): step for _, step in github_steps()}
    assert named["Предпросмотр сайта (pull request)"]["if"] == "github.event_name == 'pull_request'"
    assert "gh pr comment" in named["Отчёт в комментарии к pull request"]["run"]


def test_gitlab_order_pages_and_preview():
    doc = gitlab_doc()
    jobs = gitlab_jobs()
    assert doc["stages"] == ["validate", "build", "report", "deploy"]
    assert INSTALL in doc["default"]["before_script"]
    assert doc["default"]["cache"][0]["key"]["files"] == ["requirements.txt"]
    assert doc["default"]["cache"][1]["key"]["files"] == ["requirements.txt"]
    assert doc["default"]["cache"][1]["paths"] == [".cache/charts/", ".cache/build/", ".cache/jinja/",
                                                   ".cache/parse/", ".cache/usage/"]
    stage_of = {name: doc["stages"].index(spec["stage"]) for name, spec in jobs.items()}
    own = [(stage_of[name], i, line) for i, (name, line) in enumerate(gitlab_scripts(with_default=False))]
    lines = list(doc["default"]["before_script"]) + [line for _, _, line in sorted(own)]
    positions = [_first(lines, p) for p in ORDER]
    assert positions == sorted(positions)
    # Every job that runs the generator installs it first (the default before_script).
    for name, spec in jobs.items():
        if any(GENERATOR_CALL.search(line) for line in _lines(spec.get("script"))):
            assert "before_script" not in spec, f"{name}: свой before_script без установки генератора"
    pages = jobs["pages"]
    assert pages["stage"] == "deploy" and pages["artifacts"]["paths"] == ["public/"]
    assert set(pages["needs"]) == {"build", "report"}
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert jobs["preview"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert "merge_requests/$CI_MERGE_REQUEST_IID/notes" in "".join(jobs["report"]["script"])
    assert "--accept-removals" in "".join(jobs["report"]["script"])
    assert jobs["build"]["artifacts"]["paths"] == ["public/"]
    assert jobs["server"]["script"] == ['python -m generator publish --project . --dest "$DEPLOY_DEST"']

