"""CI templates (ci/*.yml): valid YAML, only Makefile targets and generator commands that exist, the stages in order."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.cli import _parser

REPO = Path(__file__).resolve().parent.parent
GITHUB = REPO / "ci" / "github-pages.yml"
GITLAB = REPO / "ci" / "gitlab-ci.yml"
MAKE_CALL = re.compile(r"(?<![\w.-])make\s+((?:-\S+\s+)*)((?:[A-Z_]+=\S+\s+)*)([a-z][\w-]*)")
GENERATOR_CALL = re.compile(r"-m\s+generator\s+([a-z][\w-]*)")
GITLAB_KEYWORDS = {"workflow", "stages", "variables", "default", "include", "image", "services", "cache",
                   "before_script", "after_script"}


def makefile_targets() -> set[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return {m.group(1) for m in re.finditer(r"^([a-z][\w-]*)\s*:(?!=)", text, re.M)}


def generator_commands() -> set[str]:
    subparsers = next(a for a in _parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    return set(subparsers.choices)


def github_steps() -> list[tuple[str, dict]]:
    doc = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    return [(job, step) for job, spec in doc["jobs"].items() for step in spec.get("steps", [])]


def gitlab_jobs() -> dict[str, dict]:
    doc = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    return {name: spec for name, spec in doc.items() if name not in GITLAB_KEYWORDS and not name.startswith(".")}


def gitlab_scripts() -> list[tuple[str, str]]:
    out = []
    for name, spec in gitlab_jobs().items():
        for key in ("before_script", "script", "after_script"):
            lines = spec.get(key, [])
            out += [(name, line) for line in ([lines] if isinstance(lines, str) else lines)]
    return out


def commands() -> list[tuple[str, str]]:
    return [(f"github:{job}", step["run"]) for job, step in github_steps() if "run" in step] + \
        [(f"gitlab:{job}", script) for job, script in gitlab_scripts()]


def test_templates_parse_as_yaml():
    for path in (GITHUB, GITLAB):
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path


@pytest.mark.parametrize("where, script", commands())
def test_only_existing_make_targets_and_generator_commands(where, script):
    targets, subcommands = makefile_targets(), generator_commands()
    for match in MAKE_CALL.finditer(script):
        assert match.group(3) in targets, f"{where}: make {match.group(3)} — такой цели нет в Makefile"
    for match in GENERATOR_CALL.finditer(script):
        assert match.group(1) in subcommands, f"{where}: python -m generator {match.group(1)} — нет такой команды"


def test_makefile_parsing_sees_the_targets():
    assert {"validate", "publish", "unit-test", "site", "test"} <= makefile_targets()
    assert {"validate", "build", "snapshot", "diff", "publish"} <= generator_commands()


def _first(lines: list[str], pattern: str) -> int:
    return next(i for i, line in enumerate(lines) if re.search(pattern, line))


ORDER = (r"make validate", r"make publish DEST=public", r"make unit-test", r"-m generator diff")


def test_github_order_and_deploy():
    doc = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    triggers = doc.get("on", doc.get(True))  # YAML 1.1 reads the key `on` as True
    assert {"push", "pull_request", "workflow_dispatch"} <= set(triggers)
    runs = [step.get("run", "") for step in doc["jobs"]["build"]["steps"]]
    positions = [_first(runs, p) for p in ORDER]
    assert positions == sorted(positions)
    uses = [step.get("uses", "") for _, step in github_steps()]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    deploy = doc["jobs"]["deploy"]
    assert deploy["needs"] == "build" and "pull_request" in deploy["if"]
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    # Pull requests: a preview build and the report as a comment.
    steps = {step.get("name", ""): step for _, step in github_steps()}
    assert steps["Предпросмотр сайта (pull request)"]["if"] == "github.event_name == 'pull_request'"
    assert "gh pr comment" in steps["Отчёт в комментарии к pull request"]["run"]


def test_gitlab_order_pages_and_preview():
    doc = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    jobs = gitlab_jobs()
    assert doc["stages"] == ["validate", "build", "test", "report", "deploy"]
    stage_of = {name: doc["stages"].index(spec["stage"]) for name, spec in jobs.items()}
    scripts = [(stage_of[name], i, line) for i, (name, line) in enumerate(gitlab_scripts())]
    lines = [line for _, _, line in sorted(scripts)]
    positions = [_first(lines, p) for p in ORDER]
    assert positions == sorted(positions)
    pages = jobs["pages"]
    assert pages["stage"] == "deploy" and pages["artifacts"]["paths"] == ["public/"]
    assert set(pages["needs"]) == {"build", "test", "report"}
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert jobs["preview"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert "merge_requests/$CI_MERGE_REQUEST_IID/notes" in "".join(jobs["report"]["script"])
    assert jobs["build"]["artifacts"]["paths"] == ["public/"]
    assert any("make publish DEST=\"$DEPLOY_DEST\"" in line for line in jobs["server"]["script"])
