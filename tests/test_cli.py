"""Command line: Russian messages and documented exit codes (0 ok, 1 internal, 2 bad input)."""
import re

from conftest import run_cli


def test_missing_command_is_bad_input():
    proc = run_cli()
    assert proc.returncode == 2
    assert "не указаны обязательные параметры" in proc.stderr and "Справка" in proc.stderr


def test_unknown_option_is_bad_input():
    proc = run_cli("build", "--bogus")
    assert proc.returncode == 2 and "неизвестные параметры: --bogus" in proc.stderr


def test_missing_data_folder_is_bad_input(tmp_path):
    proc = run_cli("validate", "--data", str(tmp_path / "none"))
    assert proc.returncode == 2
    assert "папка с данными не найдена" in proc.stderr and "Traceback" not in proc.stderr


def test_out_is_a_file(tmp_path):
    out = tmp_path / "site"
    out.write_text("не папка", encoding="utf-8")
    proc = run_cli("build", "--data", "tests/fixtures/mini", "--out", str(out), "--no-mkdocs", "--quiet")
    assert proc.returncode == 2 and "это не папка" in proc.stderr
    assert out.read_text(encoding="utf-8") == "не папка"


def test_help_is_russian():
    proc = run_cli("--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("использование:") and not re.search(r"\b(usage|options|show this)\b", proc.stdout)
