"""Command line: python -m generator validate|build. Exit codes: 0 ok, 1 internal error, 2 bad input."""
from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path

from .errors import BuildFailed, DataErrors, InputError

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2
log = logging.getLogger("generator")


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


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m generator", description="Генератор сайта о поддержке ШНОР/ШНСУ («500+»).")
    commands = parser.add_subparsers(dest="command", metavar="КОМАНДА", parser_class=_Parser)
    commands.required = True
    validate = commands.add_parser("validate", help="проверить данные и сообщить обо всех ошибках")
    validate.add_argument("--data", type=Path, default=Path("data"), help="папка с данными (по умолчанию data/)")
    build = commands.add_parser("build", help="проверить данные и собрать сайт")
    build.add_argument("--data", type=Path, default=Path("data"), help="папка с данными (по умолчанию data/)")
    build.add_argument("--out", type=Path, default=Path("site"), help="куда собрать сайт (по умолчанию site/)")
    build.add_argument("--no-mkdocs", action="store_true", help="только Markdown и графики, без mkdocs build")
    build.add_argument("--quiet", action="store_true", help="не показывать ход сборки")
    serve = commands.add_parser("serve", help="предпросмотр с автообновлением при изменении данных и шаблонов")
    serve.add_argument("--data", type=Path, default=Path("data"), help="папка с данными (по умолчанию data/)")
    serve.add_argument("--address", default="127.0.0.1:8000", help="адрес предпросмотра (по умолчанию 127.0.0.1:8000)")
    return parser


def _report_errors(err: DataErrors) -> None:
    print(f"Данные не прошли проверку: ошибок {len(err.problems)}.", file=sys.stderr)
    for problem in err.problems:
        print(f"  {problem}", file=sys.stderr)
    print("Ничего не записано. Исправьте ошибки и запустите команду снова.", file=sys.stderr)


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        if args.command == "validate":
            from .validation import validate

            result = validate(args.data)
            for warning in result.warnings:
                print(f"предупреждение: {warning}", file=sys.stderr)
            ds = result.dataset
            print(f"Данные в порядке: школ {len(ds.schools)}, показателей {len(ds.indicators)}, "
                  f"программ {len(ds.programmes)}, дорожных карт {len(ds.roadmaps)}, "
                  f"предупреждений {len(result.warnings)}.")
            return EXIT_OK
        if args.command == "serve":
            from .serve import serve

            return serve(args.data, args.address)
        from .site_build import build_site

        summary = build_site(args.data, args.out, with_mkdocs=not args.no_mkdocs, progress=not args.quiet)
        print(summary)
        return EXIT_OK
    except DataErrors as err:
        _report_errors(err)
        return EXIT_BAD_INPUT
    except InputError as err:
        print(f"ошибка: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BuildFailed as err:
        print(err, file=sys.stderr)
        print("Сборка не удалась; прежний сайт не изменён. Это ошибка генератора или шаблонов, не данных.",
              file=sys.stderr)
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        print("прервано", file=sys.stderr)
        return EXIT_INTERNAL
    except Exception:  # noqa: BLE001 - a bug: show it, exit 1
        traceback.print_exc()
        print("Внутренняя ошибка генератора (это не ошибка в данных). Сообщите разработчикам, приложив текст выше.",
              file=sys.stderr)
        return EXIT_INTERNAL


def main() -> None:
    raise SystemExit(run())
