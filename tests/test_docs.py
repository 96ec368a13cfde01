"""The data contract document names every column and field the validator accepts."""
import ast
import re
from pathlib import Path

from generator.load import validation

REPO = Path(__file__).resolve().parent.parent
CONTRACT = (REPO / "docs" / "data-contract.md").read_text(encoding="utf-8")


def documented(name: str) -> bool:
    return re.search(rf"`{re.escape(name)}`|\b{re.escape(name)}\b", CONTRACT) is not None


def test_every_csv_column_is_documented():
    columns = set()
    for name in dir(validation):
        if name.endswith("_COLUMNS"):
            required, optional = getattr(validation, name)
            columns |= set(required) | set(optional)
    assert columns
    assert sorted(c for c in columns if not documented(c)) == []


def test_every_yaml_field_is_documented():
    """Fields listed in every `.only(...)` call of the readers."""
    fields = set()
    for module in ("load/documents.py", "load/content.py"):
        tree = ast.parse((REPO / "generator" / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "only":
                fields |= {a.value for a in node.args if isinstance(a, ast.Constant)}
    assert len(fields) > 40
    assert sorted(f for f in fields if not documented(f)) == []
