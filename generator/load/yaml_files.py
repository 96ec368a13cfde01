"""Safe YAML reading that keeps line numbers and refuses anchors and aliases."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, SequenceNode

from generator.errors import UTF16_HINT, Problems, is_utf16, read_limited
from generator.cache.parsed_files import MISSING, ParseCache

MAX_YAML_BYTES = 5 * 1024 * 1024


class LineDict(dict):
    """A mapping that remembers the line of each key (1-based) and its own line."""

    line: int = 0
    lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    line: int = 0
    lines: list[int]

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


class _AliasRefused(yaml.YAMLError):
    def __init__(self, line: int):
        self.line = line


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # type: ignore[override]
        # Aliases make "billion laughs" bombs possible; data files never need them.
        if self.check_event(AliasEvent):
            raise _AliasRefused(self.peek_event().start_mark.line + 1)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise _AliasRefused(event.start_mark.line + 1)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int)):
                raise yaml.constructor.ConstructorError(
                    None, None, "ключ должен быть строкой", key_node.start_mark
                )
            key = str(key)
            if key in result:
                raise _DuplicateKey(key, key_node.start_mark.line + 1)
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = key_node.start_mark.line + 1
        return result

    def construct_sequence(self, node: SequenceNode, deep: bool = False) -> LineList:  # type: ignore[override]
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.lines = [child.start_mark.line + 1 for child in node.value]
        return result


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: str, line: int):
        self.key, self.line = key, line


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


# What PyYAML says (English) → what usually causes it, in Russian, with the fix.
_QUOTE = "возьмите значение в кавычки: title: \"…\""
_CAUSES = (
    ("expected ',' or '}'", "внутри фигурных скобок {…} у значения есть запятая или двоеточие — {_quote}; "
                            "или запишите каждое поле на своей строке"),
    ("expected ',' or ']'", "внутри квадратных скобок […] у элемента есть запятая или двоеточие — {_quote}"),
    ("while parsing a flow mapping", "незакрытая фигурная скобка {…} или запятая внутри значения — {_quote}"),
    ("while parsing a flow sequence", "незакрытая квадратная скобка […] или запятая внутри элемента — {_quote}"),
    ("mapping values are not allowed", "в значении есть двоеточие с пробелом после него — {_quote}"),
    ("found character '\\t'", "табуляция в начале строки: отступы делаются только пробелами"),
    ("while scanning a quoted scalar", "кавычка открыта и не закрыта (или внутри значения есть такая же кавычка)"),
    ("could not find expected ':'", "нет двоеточия после названия поля (или не закрыта кавычка в строке выше)"),
    ("but found '<scalar>'", "после значения в кавычках в строке есть ещё текст: если внутри значения есть такие же "
                             "кавычки, замените их на «ёлочки» или возьмите всё значение в одинарные кавычки '…'"),
    ("did not find expected key", "отступы не совпадают: поля одного уровня должны начинаться в одной колонке"),
    ("expected <block end>", "отступы не совпадают: поля одного уровня должны начинаться в одной колонке"),
    ("did not find expected '-' indicator", "элементы списка должны начинаться с «- » на одном отступе"),
    ("found unexpected ':'", "двоеточие в неожиданном месте — {_quote}"),
    ("found character '@'", "значение начинается с «@» или «`» — {_quote}"),
    ("found character '%'", "значение начинается с «%» — {_quote}"),
    ("found undefined tag", "значение начинается с «!» — {_quote}"),
)


def explain(err: yaml.MarkedYAMLError, line: str) -> str:
    """The usual cause of a YAML syntax error and its fix, in Russian."""
    said = f"{err.context or ''} {err.problem or ''}"
    for clue, cause in _CAUSES:
        if clue in said:
            return cause.replace("{_quote}", _QUOTE)
    if "«" in line or "»" in line or ": " in line.split(":", 1)[-1]:
        return f"проверьте строку «{line.strip()[:80]}»: если в значении есть двоеточие, кавычки или «#», {_QUOTE}"
    return "проверьте отступы (только пробелы), двоеточия после названий полей и парные кавычки"


def read_yaml_text(text: str, name: str, problems: Problems) -> Any:
    """Parse YAML text; on error record a problem and return None."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except _AliasRefused as err:
        problems.add(name, err.line, "", "якоря и ссылки YAML (& и *) не поддерживаются: запишите значение полностью")
    except _DuplicateKey as err:
        problems.add(name, err.line, err.key, "ключ повторяется: оставьте одно значение")
    except yaml.reader.ReaderError as err:
        line = text[: err.position].count("\n") + 1
        problems.add(name, line, "", f"недопустимый символ (код {err.character:#04x}): удалите его или сохраните файл заново")
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 0
        source = text.split("\n")[line - 1] if 0 < line <= text.count("\n") + 1 else ""
        problems.add(name, line, "", f"ошибка в записи YAML: {explain(err, source)} (сообщение разборщика: "
                                     f"{err.problem or err.context or 'нет'})")
    except yaml.YAMLError:
        problems.add(name, 0, "", "файл не читается как YAML: проверьте отступы, двоеточия и кавычки")
    except RecursionError:
        problems.add(name, 0, "", "слишком глубокая вложенность YAML")
    return None


def read_yaml_file(path: Path, name: str, problems: Problems, cache: ParseCache | None = None) -> Any:
    """`cache`: parsed documents of earlier builds, by the file's bytes (see cache/parsed_files.py)."""
    raw = read_limited(path, name, MAX_YAML_BYTES, problems)
    if raw is None:
        return None
    if cache is not None:
        document = cache.get("yaml", raw)
        if document is not MISSING:
            return document
    if is_utf16(raw):
        problems.add(name, 1, "", UTF16_HINT)
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.add(name, line, "", "файл не в кодировке UTF-8: сохраните его как UTF-8")
        return None
    if "\x00" in text:
        problems.add(name, text[: text.index("\x00")].count("\n") + 1, "", "файл содержит двоичные данные, ожидался текст YAML")
        return None
    before = problems.total
    document = read_yaml_text(text, name, problems)
    if document is None and problems.total == before:
        problems.add(name, 1, "", "файл пуст: ожидались данные в формате YAML")
    elif cache is not None and problems.total == before:
        cache.put("yaml", raw, document)
    return document


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:  # the reader refuses anchors and aliases
        return True


def dump_yaml(doc: object) -> str:
    """YAML that read_yaml accepts again: no anchors or aliases, Unicode as is, keys in their order."""
    return yaml.dump(doc, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=1000)
