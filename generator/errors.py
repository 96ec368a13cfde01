"""User-facing errors: every problem names the file (or the workbook and sheet), the line (row and column) and the field."""
from __future__ import annotations

import errno
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from generator.numbers import ru
from generator.russian import Word


@dataclass(frozen=True, order=True)
class DataProblem:
    file: str
    line: int  # 0 when the problem concerns the whole file
    field: str
    message: str  # Russian, "what was expected, what was found"

    def __str__(self) -> str:
        if isinstance(self.file, Sheet):  # «книга.xlsx, лист «results», строка 17, столбец D «value»: …»
            return f"{self.file.place(self.line, self.field)}: {' '.join(self.message.split())}"
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        message = " ".join(self.message.split())  # one problem, one line
        return f"{where}:{field} {message}"


class Sheet(str):
    """The `file` of problems in a table read from a sheet of a workbook (load/workbooks.py).

    Its text is «книга.xlsx, лист «results»» (so problems sort, group and count as for a file), and it
    knows each field's column: a problem on it reads «книга.xlsx, лист «results», строка 17, столбец D
    «value»: …», with the row number and the column letter as the spreadsheet program shows them.
    `table`: the CSV file the sheet stands for ("results.csv"), for the order of problems."""

    book: str
    sheet: str
    table: str
    columns: dict[str, tuple[str, str]]  # field → (column letter, header as written)

    def __new__(cls, book: str, sheet: str, table: str, columns: dict[str, tuple[str, str]]) -> "Sheet":
        self = super().__new__(cls, f"{book}, лист «{sheet}»")
        self.book, self.sheet, self.table, self.columns = book, sheet, table, columns
        return self

    def __reduce__(self):
        return Sheet, (self.book, self.sheet, self.table, self.columns)

    def place(self, line: int, field: str) -> str:
        parts = [str(self)]
        if line:
            parts.append(f"строка {int(line)}")
        # A measure's column of the wide form first (its header is the code), else the field's own column,
        # whose header is the field's name as written there (matched after strip and casefold).
        column = getattr(line, "columns", {}).get(field) or self.columns.get(field)
        if column is not None:
            letter, header = column
            parts.append(f"столбец {letter} «{header}»" if letter else header)
        elif field:
            parts.append(f"поле {field}")
        return ", ".join(parts)


class SheetLine(int):
    """A row number in a sheet whose fields sit in columns of their own: a row of the wide form of
    results (a column per measure) becomes one row per measure, and its `value` is that measure's
    column. `columns` (field → (letter, header)) comes before the sheet's own in messages."""

    columns: dict[str, tuple[str, str]]

    def __new__(cls, number: int, columns: dict[str, tuple[str, str]]) -> "SheetLine":
        self = super().__new__(cls, number)
        self.columns = columns
        return self

    def __reduce__(self):
        return SheetLine, (int(self), self.columns)


# The files others refer to, in the order of their dependencies: a broken schools.csv makes every
# school code elsewhere unknown, so its own problem is shown before those of the files citing it.
_BASE_FILES = ("site.yml", "schools.csv", "measures.csv", "indicators.yml", "renames.csv", "statuses.csv")


def _first_causes_first(p: DataProblem) -> tuple:
    file = getattr(p.file, "table", p.file)  # a sheet ranks as the table it holds
    rank = _BASE_FILES.index(file) if file in _BASE_FILES else len(_BASE_FILES)
    return (rank, p.file, p.line, p.field, p.message)


class DataErrors(Exception):
    """Raised once, with every problem found, when input data is invalid (exit code 2)."""

    def __init__(self, problems: list[DataProblem], total: int | None = None):
        self.problems = sorted(set(problems), key=_first_causes_first)
        self.total = total if total is not None else len(self.problems)  # counted ones included
        super().__init__("\n".join(str(p) for p in self.problems))


def _such_errors(n: int) -> str:
    """«такая ошибка», «такие ошибки», «таких ошибок»: the CLDR plural form of n (generator/russian.py)."""
    return Word("такая ошибка", "такие ошибки", "таких ошибок").form(n)


class Problems:
    """Collects problems so that all of them are reported at once.

    A flood is bounded: past PER_FIELD problems of one file and field (a 200 MB results.csv with
    an undeclared measure on every row), the rest are only counted and reported as one line, so
    the first real causes stay readable and memory stays small. `total` counts every problem."""

    PER_FIELD = 20

    def __init__(self) -> None:
        self.items: list[DataProblem] = []
        self.total = 0
        self._kept: dict[tuple[str, str], int] = {}
        self._more: dict[tuple[str, str], int] = {}

    def add(self, file: str, line: int, field: str, message: str) -> None:
        self.total += 1
        kind = (file, field)
        if self._kept.get(kind, 0) >= self.PER_FIELD:
            self._more[kind] = self._more.get(kind, 0) + 1
            return
        self._kept[kind] = self._kept.get(kind, 0) + 1
        self.items.append(DataProblem(file, line, field, message))

    def extend(self, other: "Problems") -> None:
        for p in other.items:
            self.add(p.file, p.line, p.field, p.message)
        for kind, more in other._more.items():
            self.total += more
            self._more[kind] = self._more.get(kind, 0) + more

    def summaries(self) -> list[DataProblem]:
        """One problem per file and field whose problems were too many to list."""
        return [DataProblem(file, 0, field, f"… и ещё {ru(Decimal(more))} {_such_errors(more)} (показаны первые "
                                            f"{self.PER_FIELD}): исправьте причину, скорее всего она одна")
                for (file, field), more in sorted(self._more.items())]

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise DataErrors(self.items + self.summaries(), self.total)


class InputError(Exception):
    """A user mistake outside the data files (a wrong path, a refused command); Russian message, exit 2."""


class BuildFailed(RuntimeError):
    """MkDocs refused the generated site: a bug in the generator or templates, not in the data (exit 1)."""


_OS_REASONS = {
    errno.EACCES: "нет прав на чтение", errno.EPERM: "нет прав на чтение",
    errno.EISDIR: "это папка, а не файл", errno.ENOENT: "файла нет",
    errno.EIO: "ошибка чтения с диска", errno.ELOOP: "символическая ссылка указывает сама на себя",
}


def out_of_space(err: BaseException) -> bool:
    """A full disk or quota, whether this process or MkDocs (reported in BuildFailed's text) hit it."""
    if isinstance(err, OSError):
        return err.errno in (errno.ENOSPC, errno.EDQUOT)
    return isinstance(err, BuildFailed) and ("No space left on device" in str(err) or "Disk quota exceeded" in str(err))


def os_reason(err: OSError) -> str:
    """Why a file could not be read, in Russian (the system's own text is English)."""
    return _OS_REASONS.get(err.errno, err.strerror or type(err).__name__)


def is_data_file(path: Path, name: str, problems: Problems) -> bool:
    """True when `path` is a regular file to read. An absent path is False with nothing said;
    anything else that is not a regular file (a folder, a link, a device) is False with a problem,
    so that a stray folder named `x.yml` or `oops.md` is reported, never read or skipped silently."""
    if path.is_symlink():
        problems.add(name, 0, "", "символические ссылки (symlink) не принимаются: положите в папку данных сам файл")
        return False
    if not path.exists():
        return False
    if not path.is_file():
        kind = "папка" if path.is_dir() else "не обычный файл"
        problems.add(name, 0, "", f"ожидался файл, а это {kind}: уберите или переименуйте её")
        return False
    return True


def is_utf16(raw: bytes) -> bool:
    """Text saved as UTF-16 (Excel's «Текст Юникод», Notepad's «Юникод»): a BOM, or every other
    byte of the start zero."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = raw[:400]
    return len(head) >= 8 and (head[1::2].count(0) > len(head) // 3 or head[0::2].count(0) > len(head) // 3)


UTF16_HINT = ("файл сохранён в кодировке UTF-16 («Текст Юникод»): сохраните его заново как «CSV UTF-8» "
              "или «CSV (разделители — точка с запятой)» (для таблиц) или как текст в кодировке UTF-8")


def read_limited(path: Path, name: str, limit: int, problems: Problems) -> bytes | None:
    """Bytes of a data file, or None with a problem when it is unreadable or larger than `limit`."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        problems.add(name, 0, "", f"файл не читается: {os_reason(err)}")
        return None
    if len(raw) > limit:
        problems.add(name, 0, "", f"файл слишком большой ({len(raw)} байт), допустимо не более {limit}")
        return None
    return raw
