"""Spell check of the demo site's Russian text with hunspell (Debian packages hunspell, hunspell-ru).

Every generated Markdown page, embed page and SVG (charts, badges) of the demo is reduced to what a
reader sees (tests/demo_build.py); its Cyrillic words go through `hunspell -d ru_RU -l`. A word that
hunspell does not know and that is not in tests/spelling/words.txt (names, abbreviations, terms) fails
the test with one file and the line where it occurs. Two more kinds always fail: a word mixing Cyrillic
and Latin letters (a look-alike «о» or «с» typed in the wrong layout), and a real word that is a typo on
this site, which hunspell cannot see (tests/spelling/confusions.txt: «улучивших» for «улучшивших»).

Do not add a misspelling to words.txt: fix the template, content or data that prints it.
hunspell is installed by tests/install-spelling.sh, which `make test` and `make unit-test` run.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

import demo_build
from demo_build import line_of

HERE = Path(__file__).resolve().parent
WORDS = HERE / "spelling" / "words.txt"
CONFUSIONS = HERE / "spelling" / "confusions.txt"
DICTIONARY = "ru_RU"
DICTIONARY_FILES = [Path("/usr/share/hunspell") / f"{DICTIONARY}.{ext}" for ext in ("dic", "aff")]
INSTALL = "bash tests/install-spelling.sh"

# A run of letters (any script) with inner hyphens; the hyphenated parts are checked one by one,
# as hunspell's Russian dictionary has no compounds such as «школа-наставник».
TOKEN = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*")
CYRILLIC = re.compile(r"[а-яё]", re.I)
LATIN = re.compile(r"[a-z]", re.I)
COMBINING = re.compile(r"[\u0300-\u036f]")  # a stress mark written over a vowel


def hunspell_command() -> list[str]:
    """The hunspell command line, or a failure telling how to install it: the check never skips."""
    if shutil.which("hunspell") is None or not all(path.is_file() for path in DICTIONARY_FILES):
        pytest.fail(f"нет hunspell или русского словаря {DICTIONARY} в /usr/share/hunspell: "
                    f"выполните {INSTALL} (make test и make unit-test запускают его сами)", pytrace=False)
    return ["hunspell", "-d", DICTIONARY, "-l", "-i", "utf-8"]


def read_word_list(path: Path = WORDS) -> set[str]:
    """One lowercase word a line; `#` starts a comment."""
    words = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        word = line.split("#", 1)[0].strip()
        if not word:
            continue
        assert word == word.lower() and " " not in word, f"{path.name}:{number}: одно слово строчными: {line!r}"
        words.add(word)
    return words


def read_confusions(path: Path = CONFUSIONS) -> list[tuple[re.Pattern, str]]:
    """`pattern = meant` lines; `#` starts a comment."""
    confusions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        pattern, sep, meant = line.partition(" = ")
        assert sep and meant.strip(), f"{path.name}:{number}: ожидалось «шаблон = что имелось в виду»: {line!r}"
        confusions.append((re.compile(pattern.strip()), meant.strip()))
    return confusions


@dataclass(frozen=True)
class Unknown:
    word: str
    file: str
    line: str
    why: str = "нет в словаре"


def unknown_words(texts: dict[str, str], allowed: set[str],
                  confusions: list[tuple[re.Pattern, str]] | None = None) -> dict[str, Unknown]:
    """Words of `texts` (file → text) that hunspell does not know and `allowed` does not list, words with
    Latin look-alike letters, and words that match a pattern of `confusions` (read from confusions.txt
    when not given).

    Returns lowercase word → its first occurrence (files in sorted order)."""
    if confusions is None:
        confusions = read_confusions()
    first: dict[str, tuple[str, str]] = {}  # word as written → (file, context)
    mixed: dict[str, Unknown] = {}
    for name in sorted(texts):
        text = texts[name]
        for match in TOKEN.finditer(COMBINING.sub("", text)):
            token = match.group(0)
            for part in re.split(r"[-‐]", token):
                if not CYRILLIC.search(part):
                    continue
                if LATIN.search(part):
                    mixed.setdefault(part.lower(), Unknown(part, name, line_of(text, match.start(), match.end()),
                                                           "кириллица вперемешку с латиницей"))
                    continue
                meant = next((m for pattern, m in confusions if pattern.fullmatch(part.lower())), None)
                if meant is not None:
                    mixed.setdefault(part.lower(), Unknown(part, name, line_of(text, match.start(), match.end()),
                                                           f"настоящее слово, но здесь имелось в виду {meant}"))
                    continue
                if part.lower() in allowed or part in first:
                    continue
                first[part] = (name, line_of(text, match.start(), match.end()))
    if not first:
        return dict(sorted(mixed.items()))
    proc = subprocess.run(hunspell_command(), input="\n".join(first) + "\n", capture_output=True,
                          text=True, encoding="utf-8")
    assert proc.returncode == 0, f"hunspell: код выхода {proc.returncode}\n{proc.stderr}"
    found: dict[str, Unknown] = dict(mixed)
    for word in proc.stdout.split():
        if word in first:
            file, context = first[word]
            found.setdefault(word.lower(), Unknown(word, file, context))
    return dict(sorted(found.items()))


def report(found: dict[str, Unknown]) -> str:
    lines = [f"{len(found)} слов(а) с ошибками или не из словаря (исправьте текст; имя, сокращение или термин "
             f"— внесите в tests/spelling/words.txt в свою группу):"]
    lines += [f"  «{u.word}» ({u.why}) — {u.file}: {u.line}" for u in found.values()]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def demo_texts() -> dict[str, str]:
    return demo_build.demo_texts()


def test_demo_has_no_unknown_words(demo_texts):
    assert len(demo_texts) > 100, sorted(demo_texts)
    found = unknown_words(demo_texts, read_word_list())
    assert not found, report(found)


def test_planted_typo_is_reported():
    # hunspell itself: «учасников» (no «т») is not a word, «участников» is
    text = "Доля учасников, улучшивших показатель. Доля участников, улучшивших показатель «ВПР»."
    found = unknown_words({"planted.md": text}, read_word_list())
    assert set(found) == {"учасников"}, found
    assert found["учасников"].file == "planted.md"
    assert "Доля учасников, улучшивших показатель" in found["учасников"].line
    assert "«учасников» (нет в словаре) — planted.md" in report(found)


def test_planted_real_word_typo_is_reported():
    # «улучивших» (from «улучить», a real verb) passes hunspell; confusions.txt catches it.
    text = "| Доля участников, улучивших показатель «ЕГЭ» | 25 % |\nДоля участников, улучшивших показатель."
    found = unknown_words({"programmes/index.md": text}, read_word_list())
    assert set(found) == {"улучивших"}, found
    assert found["улучивших"].why.startswith("настоящее слово, но здесь имелось в виду улучш")
    assert "улучивших показатель «ЕГЭ»" in found["улучивших"].line
    assert unknown_words({"a.md": "Школы улучшили результаты, улучшив подготовку."}, set()) == {}


def test_a_look_alike_latin_letter_is_reported():
    # «о» in «школа» typed as the Latin «o»
    found = unknown_words({"planted.md": "Сайт шкoлы"}, set())
    assert list(found) == ["шкoлы"] and found["шкoлы"].why == "кириллица вперемешку с латиницей"


def test_the_word_list_lets_a_name_through():
    assert unknown_words({"planted.md": "Школа в хуторе Курнаковка"}, set()) == {
        "курнаковка": Unknown("Курнаковка", "planted.md", "Школа в хуторе Курнаковка")}
    assert unknown_words({"planted.md": "Школа в хуторе Курнаковка"}, {"курнаковка"}) == {}


def test_word_list_is_sorted_within_groups_and_has_no_duplicates():
    seen: dict[str, int] = {}
    group: list[str] = []
    for number, line in enumerate(WORDS.read_text(encoding="utf-8").splitlines(), 1):
        word = line.split("#", 1)[0].strip()
        if not word:
            assert group == sorted(group), f"words.txt: группа перед строкой {number} не по алфавиту"
            group = []
            continue
        assert word not in seen, f"words.txt:{number}: «{word}» уже в строке {seen[word]}"
        seen[word] = number
        group.append(word)
    assert group == sorted(group), "words.txt: последняя группа не по алфавиту"
