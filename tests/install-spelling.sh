#!/usr/bin/env bash
# Prerequisites of the spell check (tests/test_spelling.py): Debian's hunspell and its Russian
# dictionary (ru_RU in /usr/share/hunspell). Installs only what is missing; safe to run again.
set -euo pipefail

missing=()
command -v hunspell >/dev/null 2>&1 || missing+=(hunspell)
[ -f /usr/share/hunspell/ru_RU.dic ] && [ -f /usr/share/hunspell/ru_RU.aff ] || missing+=(hunspell-ru)

if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The same check the test makes: the Russian dictionary loads and knows a plain word.
if [ "$(echo 'школа' | hunspell -d ru_RU -l -i utf-8)" != "" ]; then
    echo "hunspell не знает слова «школа»: словарь ru_RU не загрузился" >&2
    exit 1
fi
echo "hunspell $(hunspell -v 2>/dev/null | head -1 | sed 's/^@(#) International Ispell Version [^ ]* (but really //; s/)$//'), словарь ru_RU"
