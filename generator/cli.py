"""Command line: python -m generator new|template|validate|build|serve|snapshot|diff|publish.

Exit codes: 0 ok, 1 internal error, 2 bad input; diff: 3 when published figures disappear.
One concern, though past 300 lines: the parser, its Russian messages, and each command and fault
mapped to its exit code.
"""
from __future__ import annotations

import argparse
import errno
import logging
import shutil
import sys
import traceback
from datetime import date
from pathlib import Path

from generator.errors import BuildFailed, DataErrors, InputError, os_reason, out_of_space
from generator.numbers import ru_figure
from generator.paths import REPO
from generator.version import generator_version

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2
log = logging.getLogger("generator")
NO_GZ = {"dest": "precompress", "action": "store_false", "help": "без сжатых копий .gz (GitHub Pages сжимает сам)"}


# argparse speaks English; these are the messages a user can meet.
_ARGPARSE_RU = (
    ("the following arguments are required:", "не указаны обязательные параметры:"),
    ("unrecognized arguments:", "неизвестные параметры:"),
    ("invalid choice:", "неизвестное значение:"),
    ("choose from", "выберите из"),
    ("expected one argument", "после параметра нужно значение"),
    ("invalid int value:", "ожидалось целое число, найдено"),
    ("argument ", "параметр "),
)


def _russian(message: str) -> str:
    for english, russian in _ARGPARSE_RU:
        message = message.replace(english, russian)
    return message


class _Parser(argparse.ArgumentParser):
    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "использование:", 1)

    def format_help(self) -> str:
        text = super().format_help().replace("usage:", "использование:", 1)
        return text.replace("positional arguments:", "команды:").replace("options:", "параметры:") \
            .replace("show this help message and exit", "показать эту справку и выйти")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"ошибка в параметрах команды: {_russian(message)}. Справка: python -m generator --help",
              file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def _add_project(command: argparse.ArgumentParser) -> None:
    # --data is the old name of the option, kept so that existing scripts and CI files keep working.
    command.add_argument("--project", "--data", dest="project", type=Path, default=None, metavar="ПАПКА",
                         help="папка проекта сайта: site.yml, таблицы, pages/, archive/ (по умолчанию — текущая "
                              "папка, если в ней есть site.yml, иначе демонстрационный проект examples/demo)")


def project_folder(given: Path | None) -> Path:
    """The site project a command works on (see --project)."""
    if given is not None:
        return given
    if Path("site.yml").is_file():
        return Path(".")
    demo = REPO / "examples" / "demo"
    return demo if demo.is_dir() else Path(".")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m generator", description="Генератор сайта о поддержке ШНОР/ШНСУ («500+»).")
    parser.add_argument("--version", action="version", version=f"shnor-site {generator_version()}",
                        help="показать версию генератора и выйти")
    commands = parser.add_subparsers(dest="command", metavar="КОМАНДА", parser_class=_Parser)
    commands.required = True
    new = commands.add_parser("new", help="создать папку нового проекта сайта (данные, страницы, CI)")
    new.add_argument("folder", type=Path, metavar="ПАПКА", help="новая или пустая папка")
    new.add_argument("--municipality", default="", help="название муниципалитета для site.yml (можно заполнить позже)")
    template = commands.add_parser("template", help="записать пустую книгу tables.xlsx: листы таблиц, заголовки "
                                                    "с пояснениями, списки для выбора")
    template.add_argument("folder", type=Path, metavar="ПАПКА", help="куда записать tables.xlsx (обычно папка проекта)")
    validate = commands.add_parser("validate", help="проверить данные и сообщить обо всех ошибках")
    _add_project(validate)
    build = commands.add_parser("build", help="проверить данные и собрать сайт")
    _add_project(build)
    build.add_argument("--out", type=Path, default=Path("site"), help="куда собрать сайт (по умолчанию site/)")
    build.add_argument("--no-mkdocs", action="store_true", help="только Markdown и графики, без mkdocs build")
    build.add_argument("--quiet", action="store_true", help="не показывать ход сборки")
    build.add_argument("--no-precompress", **NO_GZ)
    serve = commands.add_parser("serve", help="предпросмотр с автообновлением при изменении данных и шаблонов")
    _add_project(serve)
    serve.add_argument("--address", default="127.0.0.1:8000", help="адрес предпросмотра (по умолчанию 127.0.0.1:8000)")
    _add_archive_commands(commands)
    return parser


def _report_errors(err: DataErrors) -> None:
    print(f"Данные не прошли проверку: ошибок {err.total}.", file=sys.stderr)
    for problem in err.problems:
        print(f"  {problem}", file=sys.stderr)
    print("Ничего не записано. Исправьте ошибки и запустите команду снова.", file=sys.stderr)


def run(argv: list[str] | None = None) -> int:
    # Each command imports its stage when it runs: `--help` and a typo in the arguments answer at
    # once, without loading matplotlib, Jinja and the rest of the pipeline.
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        if args.command == "new":
            from generator.release.new_project import create

            print(create(args.folder, args.municipality))
            return EXIT_OK
        if args.command == "template":
            from generator.release.workbook_template import write_template

            print(f"Записан шаблон {write_template(args.folder)}: заполните листы и положите книгу в папку проекта "
                  f"вместо CSV-файлов (docs/data-contract.md, раздел «Книги Excel и ODS»).")
            return EXIT_OK
        if hasattr(args, "project"):  # every command but new and diff works on a site project
            args.project = project_folder(args.project)
        if args.command == "validate":
            from generator.load.validation import validate
            from generator.compute.openness import all_warnings

            result = validate(args.project)
            ds = result.dataset
            warnings = all_warnings(result.warnings, ds)
            for warning in warnings:
                print(f"предупреждение: {warning}", file=sys.stderr)
            print(f"Данные в порядке: школ {len(ds.schools)}, показателей {len(ds.indicators)}, "
                  f"программ {len(ds.programmes)}, дорожных карт {len(ds.roadmaps)}, "
                  f"предупреждений {len(warnings)}.")
            return EXIT_OK
        if args.command == "serve":
            from generator.build.serve import serve

            return serve(args.project, args.address)
        if args.command in _ARCHIVE_COMMANDS:
            return _run_archive_command(args)
        from generator.build.site import build_site

        summary = build_site(args.project, args.out, with_mkdocs=not args.no_mkdocs, progress=not args.quiet,
                             precompress=args.precompress)
        print(summary)
        return EXIT_OK
    except DataErrors as err:
        _report_errors(err)
        return EXIT_BAD_INPUT
    except InputError as err:
        print(f"ошибка: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BuildFailed as err:
        if out_of_space(err):  # MkDocs, a child process, ran out of disk
            print(f"ошибка: {machine_fault(OSError(errno.ENOSPC, 'No space left on device'), _site_folder(args))}",
                  file=sys.stderr)
            return EXIT_INTERNAL
        print(err, file=sys.stderr)
        print("Сборка не удалась; прежний сайт не изменён. Это ошибка генератора или шаблонов, не данных.",
              file=sys.stderr)
        return EXIT_INTERNAL
    except OSError as err:
        if err.errno not in MACHINE_FAULTS:
            return _bug()
        print(f"ошибка: {machine_fault(err, _site_folder(args))}", file=sys.stderr)
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        print("прервано", file=sys.stderr)
        return EXIT_INTERNAL
    except Exception:  # noqa: BLE001 - a bug: show it, exit 1
        return _bug()


def _bug() -> int:
    traceback.print_exc()
    print("Внутренняя ошибка генератора (это не ошибка в данных). Сообщите разработчикам, приложив текст выше.",
          file=sys.stderr)
    return EXIT_INTERNAL


# Ordinary faults of the machine, not bugs and not the data's: said in Russian, no traceback, exit 1.
MACHINE_FAULTS = {errno.ENOSPC: "на диске нет места", errno.EDQUOT: "превышена квота диска",
                  errno.EROFS: "папка только для чтения", errno.EACCES: "нет прав на запись",
                  errno.EPERM: "нет прав на запись", errno.EIO: "ошибка чтения или записи диска"}


def machine_fault(err: OSError, out: Path | None = None) -> str:
    """The Russian message for an ordinary fault of the machine; `out` is the site folder being built."""
    where = f" ({err.filename})" if err.filename else ""
    if err.errno in (errno.ENOSPC, errno.EDQUOT) and out is not None:
        where = f": {_space(out)}"
    return (f"{MACHINE_FAULTS.get(err.errno, os_reason(err))}{where}. Сборка остановлена, прежний сайт не изменён; "
            f"освободите место или выберите другую папку (--out, --dest) и повторите")


def _space(out: Path) -> str:
    """Free space beside `out` and what a build needs there: the new site is made beside the old one,
    its Markdown and its HTML at once, so about twice the previous site (unknown for a first build)."""
    folder = next((p for p in (out, *out.parents) if p.exists()), Path("."))
    try:
        free = shutil.disk_usage(folder).free
        old = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) if out.is_dir() else 0
    except OSError:
        return str(folder)
    text = f"рядом с папкой {folder} свободно {_mb(free)}"
    if old:
        text += f", для сборки нужно около {_mb(2 * old + (1 << 20))} (прежний сайт занимает {_mb(old)})"
    return text


def _mb(size: int) -> str:
    return ru_figure(round(size / 1e6, 1), "МБ")


def _site_folder(args: argparse.Namespace) -> Path | None:
    """The site folder a build or publish writes, for the free-space message."""
    folder = getattr(args, "dest", None) if args.command == "publish" else getattr(args, "out", None)
    return Path(folder).resolve() if args.command in ("build", "publish") and folder else None


# --- snapshot, diff, publish (generator/release/) ------------------------------------------
_ARCHIVE_COMMANDS = ("snapshot", "diff", "publish")


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"ожидался год из четырёх цифр, найдено «{text}»")
    return int(text)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ожидалась дата ГГГГ-ММ-ДД, найдено «{text}»") from None


def _add_archive_commands(commands) -> None:
    snap = commands.add_parser("snapshot", help="заморозить сайт отчётного года в archive/ГОД/ (архивная версия)")
    snap.add_argument("year", type=_year, metavar="ГОД", help="отчётный год, например 2024")
    _add_project(snap)
    snap.add_argument("--archive", type=Path, default=None,
                      help="папка архива (по умолчанию archive/ рядом с папкой данных)")
    snap.add_argument("--date", type=_iso_date, default=None, metavar="ГГГГ-ММ-ДД",
                      help="дата архивной версии (по умолчанию as_of данных, но не позже 31 декабря года)")
    snap.add_argument("--correction", default=None, metavar="ПРИЧИНА",
                      help="заморозить год заново вместо существующей версии; причина публикуется на странице «Архив»")
    snap.add_argument("--correction-date", type=_iso_date, default=None, metavar="ГГГГ-ММ-ДД",
                      help="дата исправления (по умолчанию сегодня)")
    snap.add_argument("--quiet", action="store_true", help="не показывать ход сборки")
    diff = commands.add_parser("diff", help="отчёт об изменениях между двумя состояниями данных (Markdown)")
    diff.add_argument("old", type=Path, metavar="БЫЛО",
                      help="папка с данными, папка открытых данных (indicators.csv) или собранный сайт")
    diff.add_argument("new", type=Path, metavar="СТАЛО", nargs="?", default=None,
                      help="то же для нового состояния (по умолчанию — проект сайта, см. --project)")
    _add_project(diff)
    diff.add_argument("--accept-removals", action="store_true",
                      help="исчезновение опубликованных значений намеренное: код выхода 0 вместо 3")
    diff.add_argument("--out", type=Path, default=None, help="записать отчёт в файл (иначе — на экран)")
    diff.add_argument("--max-rows", type=int, default=200, help="строк в каждой таблице отчёта (по умолчанию 200)")
    pub = commands.add_parser("publish", help="собрать во временную папку, проверить и заменить сайт в --dest")
    _add_project(pub)
    pub.add_argument("--dest", type=Path, required=True, help="папка опубликованного сайта (заменяется целиком)")
    pub.add_argument("--quiet", action="store_true", help="не показывать ход сборки")
    pub.add_argument("--no-precompress", **NO_GZ)


def _run_archive_command(args) -> int:
    if args.command == "snapshot":
        from generator.release.snapshot import freeze

        frozen = freeze(args.project, args.year, args.archive, args.date, args.correction, args.correction_date,
                        progress=not args.quiet)
        what = "заморожена заново (исправление записано в archive/corrections.yml)" if frozen.correction else "создана"
        print(f"Архивная версия за {frozen.year} год {what}: {frozen.path}, файлов {frozen.files}, "
              f"{frozen.size / 1024 / 1024:.1f} МБ, дата {frozen.created_at.isoformat()}.")
        if frozen.dropped:
            print("Не вошло (позже года): " + ", ".join(f"{k} — {v}" for k, v in sorted(frozen.dropped.items())) + ".")
        return EXIT_OK
    if args.command == "diff":
        from generator.release.diff import EXIT_REMOVED, diff

        if args.max_rows < 1:
            raise InputError("--max-rows: ожидалось число больше нуля")
        report = diff(args.old, args.new or args.project, args.accept_removals, args.max_rows)
        if args.out:
            args.out.write_text(report.markdown, encoding="utf-8", newline="\n")
            print(f"Отчёт записан в {args.out}.", file=sys.stderr)
        else:
            sys.stdout.write(report.markdown)
        if report.removed and not args.accept_removals:
            print(f"ВНИМАНИЕ: исчезают опубликованные значения (строк: {report.removed}). Код выхода 3. "
                  f"Если это намеренно, повторите с --accept-removals.", file=sys.stderr)
            return EXIT_REMOVED
        return EXIT_OK
    from generator.release.publish import publish

    print(publish(args.project, args.dest, progress=not args.quiet, precompress=args.precompress))
    return EXIT_OK
# --- end of snapshot, diff, publish ---------------------------------------------------------------


def main() -> None:
    raise SystemExit(run())
