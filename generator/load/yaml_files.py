"""Safe YAML reading that keeps line numbers and refuses anchors and aliases."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, SequenceNode

from generator.errors import Problems, read_limited
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
        what = err.problem or "ошибка синтаксиса"
        problems.add(name, line, "", f"синтаксическая ошибка YAML ({what}); проверьте отступы, двоеточия и кавычки")
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
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.add(name, line, "", "файл не в кодировке UTF-8: сохраните его как UTF-8")
        return None
    if "\x00" in text:
        problems.add(name, text[: text.index("\x00")].count("\n") + 1, "", "файл содержит двоичные данные, ожидался текст YAML")
        return None
    before = len(problems.items)
    document = read_yaml_text(text, name, problems)
    if document is None and len(problems.items) == before:
        problems.add(name, 1, "", "файл пуст: ожидались данные в формате YAML")
    elif cache is not None and len(problems.items) == before:
        cache.put("yaml", raw, document)
    return document


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:  # the reader refuses anchors and aliases
        return True


def dump_yaml(doc: object) -> str:
    """YAML that read_yaml accepts again: no anchors or aliases, Unicode as is, keys in their order."""
    return yaml.dump(doc, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=1000)
