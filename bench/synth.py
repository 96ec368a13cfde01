"""Synthetic data for scale tests: a municipality of N schools that follows docs/data-contract.md.

    python -m bench.synth --schools 1000 --years 6 --indicators 12 --out bench-output/data-1000

Pure generation from ``random.Random(seed)``: the same arguments give byte-identical files.
Shapes are meant to look like real departmental data, not to be pretty:

* about 15 % of schools are participants (ШНОР/ШНСУ, some both) each year, with carry-over between
  years; about 5 % are mentors, each helping several participants; most pairs sign an agreement;
* schools of three sizes: small rural schools have exam cohorts under ``min_group_size`` (small-group
  suppression), basic schools (ООШ) have no ЕГЭ at all;
* missing figures: some rows absent, some present with an empty value;
* K indicators: K−1 shares (one published only in aggregate, one reported only by the municipality)
  and one count;
* a programme, a municipal roadmap and a few school roadmaps whose items carry a status history.
"""
from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import yaml

CURRENT_YEAR = 2025
DISTRICTS = ("г. Центральный", "Северное сельское поселение", "Южное сельское поселение", "Восточное сельское поселение",
             "Западное сельское поселение", "Заречное сельское поселение", "Лесное сельское поселение",
             "Степное сельское поселение", "Озёрное сельское поселение", "Нагорное сельское поселение")
SETTLEMENTS = ("х. Курский", "сл. Николаевка", "п. Долотинка", "х. Ясиноватый", "с. Греково", "х. Малаховский",
               "с. Верхние Грачики", "х. Терновой", "п. Заречный", "с. Рогалик", "х. Волошино", "с. Туриловка")
# (code stem, title, group, cohort share of school size, typical pass share, publish)
SUBJECTS = (
    ("ege_rus", "ЕГЭ по русскому языку: доля получивших балл не ниже минимального", "Результаты ГИА", 0.08, 0.96, "school"),
    ("ege_math", "ЕГЭ по математике (базовый уровень): доля сдавших", "Результаты ГИА", 0.08, 0.93, "school"),
    ("oge_rus", "ОГЭ по русскому языку: доля получивших «3» и выше", "Результаты ГИА", 0.10, 0.92, "school"),
    ("oge_math", "ОГЭ по математике: доля получивших «3» и выше", "Результаты ГИА", 0.10, 0.85, "school"),
    ("vpr_math", "ВПР по математике: доля работ без отметки «2»", "Результаты ВПР", 0.45, 0.82, "aggregate"),
    ("vpr_rus", "ВПР по русскому языку: доля работ без отметки «2»", "Результаты ВПР", 0.45, 0.80, "aggregate"),
    ("attestation", "Доля обучающихся без академической задолженности", "Успеваемость", 1.0, 0.97, "school"),
    ("olympiad", "Доля участников муниципального этапа олимпиады среди 7–11 классов", "Олимпиады", 0.5, 0.12, "school"),
    ("extra_edu", "Доля обучающихся, занятых дополнительным образованием", "Воспитание", 1.0, 0.75, "school"),
    ("teachers_pk", "Доля учителей, прошедших повышение квалификации", "Кадры", 0.06, 0.70, "school"),
    ("parents_satisfied", "Доля родителей, удовлетворённых качеством образования", "Удовлетворённость", 0.6, 0.80, "school"),
)
FORMS = ("взаимопосещение уроков", "методические семинары", "стажировки учителей", "мастер-классы",
         "дистанционные консультации", "совместные педсоветы")
STATES = ("не начато", "в работе", "выполнено")


class _Dumper(yaml.SafeDumper):
    """No anchors/aliases (the reader refuses them), block style, Unicode as is."""

    def ignore_aliases(self, data):  # noqa: D401 - PyYAML hook
        return True


def _yaml(doc) -> str:
    return yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


def _csv(header: tuple[str, ...], rows: list[tuple]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def school_codes(n: int) -> list[str]:
    """INN-like ten-digit codes, stable for a position: school i keeps its code whatever N is."""
    return [f"61{49000000 + i:08d}" for i in range(1, n + 1)]


class Municipality:
    def __init__(self, schools: int, years: int, indicators: int, seed: int = 1, school_roadmaps: int = 5):
        if schools < 10 or years < 1 or indicators < 1:
            raise ValueError("нужно не меньше 10 школ, 1 года и 1 показателя")
        self.rng = random.Random(seed)
        self.n, self.k = schools, indicators
        self.years = list(range(CURRENT_YEAR - years + 1, CURRENT_YEAR + 1))
        self.as_of = date(CURRENT_YEAR, 12, 15)
        self.codes = school_codes(schools)
        self.school_roadmaps = school_roadmaps
        self.files: dict[str, str] = {}

    # --- schools -------------------------------------------------------------------------------
    def make_schools(self) -> None:
        rng = self.rng
        self.size: dict[str, int] = {}
        self.kind: dict[str, str] = {}
        self.quality: dict[str, float] = {}
        rows = []
        for i, code in enumerate(self.codes, start=1):
            roll = rng.random()
            if roll < 0.25:  # small rural school: cohorts under min_group_size
                kind, size = "ООШ" if rng.random() < 0.6 else "СОШ", rng.randint(15, 60)
            elif roll < 0.75:
                kind, size = "СОШ", rng.randint(120, 500)
            else:
                kind, size = "СОШ" if rng.random() < 0.7 else "Лицей", rng.randint(500, 1400)
            self.size[code], self.kind[code] = size, kind
            self.quality[code] = rng.gauss(0, 1)
            district = DISTRICTS[rng.randrange(len(DISTRICTS))]
            place = district if district.startswith("г.") else SETTLEMENTS[rng.randrange(len(SETTLEMENTS))]
            short = f"{kind} № {i}" if place.startswith("г.") else f"{kind} № {i}, {place}"
            name = f"МБОУ {short}"
            website = f"https://school{i}.example.ru/" if rng.random() < 0.7 else ""
            address = f"346{rng.randint(100, 199)}, Ростовская обл., {place}, ул. Школьная, д. {rng.randint(1, 60)}"
            rows.append((code, name, short, district, website, address))
        self.files["schools.csv"] = _csv(("code", "name", "short_name", "district", "website", "address"), rows)

    # --- statuses and mentor pairs ---------------------------------------------------------------
    def make_statuses(self) -> None:
        rng = self.rng
        # Weaker schools are more likely to be participants; strong ones become mentors.
        ranked = sorted(self.codes, key=lambda c: self.quality[c])
        weak_pool = ranked[: max(2, self.n * 35 // 100)]
        strong_pool = ranked[self.n * 80 // 100:]
        target = max(2, round(self.n * 0.15))
        mentors_target = max(1, round(self.n * 0.05))
        self.participants: dict[int, list[str]] = {}
        self.mentors: dict[int, list[str]] = {}
        rows, pairs = [], []
        previous: list[str] = []
        for year in self.years:
            keep = [c for c in previous if rng.random() < 0.7]  # some leave the list each year
            kept = set(keep)
            fresh = [c for c in weak_pool if c not in kept]
            rng.shuffle(fresh)
            current = sorted(keep + fresh[: max(0, target + rng.randint(-target // 10, target // 10) - len(keep))])
            mentors = sorted(rng.sample(strong_pool, min(len(strong_pool), mentors_target)))
            self.participants[year], self.mentors[year] = current, mentors
            for code in current:
                roll = rng.random()
                statuses = ("ШНОР",) if roll < 0.6 else ("ШНСУ",) if roll < 0.85 else ("ШНОР", "ШНСУ")
                rows += [(year, code, s) for s in statuses]
            rows += [(year, code, "наставник") for code in mentors]
            for number, mentee in enumerate(current, start=1):
                if rng.random() < 0.08:  # no mentor assigned yet
                    continue
                mentor = mentors[rng.randrange(len(mentors))]
                signed = rng.random() < 0.75
                agreement = f"{number}/{year}" if signed else "нет"  # stated: blank is «нет сведений»
                when = _day(rng, date(year, 1, 15), date(year, 5, 31)).isoformat() if signed else ""
                forms = "; ".join(sorted(rng.sample(FORMS, rng.randint(1, 3)))) if rng.random() < 0.85 else ""
                pairs.append((year, mentor, mentee, agreement, when, forms))
            previous = current
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
        self.files["statuses.csv"] = _csv(("year", "school", "status"), rows)
        pairs.sort(key=lambda r: (r[0], r[1], r[2]))
        self.files["mentorships.csv"] = _csv(("year", "mentor", "mentee", "agreement", "agreement_date", "forms"), pairs)

    # --- measures, indicators, results -----------------------------------------------------------
    def make_indicators(self) -> None:
        rng = self.rng
        shares = max(0, self.k - 1)
        municipal_only = shares >= 3  # one share reported only for the municipality as a whole
        self.shares: list[dict] = []
        indicators, measures = [], []
        for i in range(shares):
            stem, title, group, cohort, rate, publish = SUBJECTS[i % len(SUBJECTS)]
            round_no = i // len(SUBJECTS)
            code = stem if round_no == 0 else f"{stem}_{round_no + 1}"
            title = title if round_no == 0 else f"{title} (вариант {round_no + 1})"
            if municipal_only and i == shares - 1:
                code, title, group, publish = "schools_objective", "Доля школ без признаков необъективности результатов", \
                    "Объективность оценивания", "school"
            numerator, denominator = f"{code}_passed", f"{code}_total"
            better = "higher"
            entry: dict = {"code": code, "title": title, "group": group, "unit": "%",
                           "numerator": numerator, "denominator": denominator, "better": better}
            if i % 3 == 0:
                first_target = round(rate * 100 - 4)
                entry["rule"] = {"min": round(rate * 100 - 5)}
                entry["targets"] = {y: min(100, first_target + 2 * n) for n, y in enumerate(self.years[1:])}
            elif i % 3 == 1:
                entry["rule"] = {"dynamics": "positive"}
            else:
                entry["rule"] = {"min": round(rate * 100 - 3)}
            if publish != "school":
                entry["publish"] = publish
            entry["baseline"] = {"year": self.years[0], "value": round(rate * 100 - 3, 1)}
            entry["explanation"] = (f"Какая часть учеников (или работ) показала результат «{title.split(':')[0]}». "
                                    "Чем больше, тем лучше.")
            entry["source"] = "ФИС ОКО" if stem.startswith("vpr") else "отчёты школ"
            entry["frequency"] = "ежегодно"
            indicators.append(entry)
            measures.append((numerator, f"{title}: числитель", "чел."))
            measures.append((denominator, f"{title}: знаменатель", "чел."))
            self.shares.append({"code": code, "numerator": numerator, "denominator": denominator, "cohort": cohort,
                                "rate": rate, "ege": stem.startswith("ege"),
                                "municipal": municipal_only and i == shares - 1})
        indicators.append({"code": "complaints", "title": "Обоснованные жалобы родителей на качество образования",
                           "group": "Удовлетворённость", "unit": "обращений", "numerator": "complaints",
                           "better": "lower", "rule": {"equals": 0},
                           "explanation": "Сколько обоснованных жалоб родителей получено за год. Лучше — ни одной."})
        measures.append(("complaints", "Обоснованные жалобы родителей", "обращений"))
        self.files["indicators.yml"] = _yaml(indicators)
        self.files["measures.csv"] = _csv(("code", "title", "unit"), measures)
        self.indicator_codes = [e["code"] for e in indicators]
        self.school_share_codes = [s["code"] for s in self.shares if not s["municipal"]]
        del rng

    def make_results(self) -> None:
        rng = self.rng
        rows: list[tuple] = []
        participants = {y: set(codes) for y, codes in self.participants.items()}
        for year_index, year in enumerate(self.years):
            for code in self.codes:
                size = self.size[code]
                quality = self.quality[code]
                boost = 0.01 * year_index * (1 if code in participants[year] else 0.3)
                for s in self.shares:
                    if s["municipal"] or (s["ege"] and self.kind[code] == "ООШ"):
                        continue
                    if rng.random() < 0.03:  # the school did not report this year
                        continue
                    total = max(1, int(size * s["cohort"] * rng.uniform(0.8, 1.2)))
                    rate = min(1.0, max(0.0, s["rate"] + 0.05 * quality + boost + rng.gauss(0, 0.04)))
                    passed = sum(1 for _ in range(total) if rng.random() < rate) if total < 40 \
                        else min(total, max(0, round(total * rate + rng.gauss(0, 1))))
                    blank = rng.random() < 0.02  # reported with an empty value
                    rows.append((year, code, s["numerator"], "" if blank else passed))
                    rows.append((year, code, s["denominator"], total))
                if rng.random() < 0.97:
                    complaints = 0 if rng.random() < 0.8 else rng.randint(1, 3)
                    rows.append((year, code, "complaints", complaints))
            for s in self.shares:
                if s["municipal"]:
                    total = self.n
                    passed = min(total, round(total * min(1.0, s["rate"] + 0.02 * year_index)))
                    rows.append((year, "", s["numerator"], passed))
                    rows.append((year, "", s["denominator"], total))
        self.files["results.csv"] = _csv(("year", "school", "measure", "value"), rows)

    # --- programme, roadmaps, site ---------------------------------------------------------------
    def make_programme(self) -> None:
        start = self.years[1] if len(self.years) > 1 else self.years[0]
        self.programme_code = f"support-{start}-{CURRENT_YEAR}"
        targets = []
        for s in self.shares[:3]:
            if s["municipal"]:
                continue
            plan = {y: min(100, round(s["rate"] * 100) + n) for n, y in enumerate(range(start, CURRENT_YEAR + 1))}
            targets.append({"indicator": s["code"], "scope": "participants", "unit": "процент",
                            "baseline": {"year": start - 1, "value": round(s["rate"] * 100 - 5, 1)}, "plan": plan})
        targets.append({"indicator": "mentor_agreements", "scope": "programme",
                        "plan": {y: min(100, 50 + 10 * n) for n, y in enumerate(range(start, CURRENT_YEAR + 1))}})
        doc = {
            "code": self.programme_code,
            "title": f"Муниципальная программа поддержки школ с низкими образовательными результатами на {start}–{CURRENT_YEAR} годы",
            "approved": {"by": "Приказ управления образования", "number": "426", "date": date(start, 6, 2)},
            "developers": ["Управление образования", "Методический центр"],
            "executors": ["Управление образования", "Школы — участники программы", "Школы-наставники"],
            "goal": "Повышение качества образования в школах с низкими образовательными результатами.",
            "tasks": ["Назначить каждой школе-участнице школу-наставника.", "Повысить долю успешно сдавших ГИА.",
                      "Обеспечить открытость хода программы."],
            "period": {"start": start, "end": CURRENT_YEAR},
            "stages": [{"title": "Подготовительный", "start": start, "end": start, "description": "анализ, планирование"},
                       {"title": "Основной", "start": min(start + 1, CURRENT_YEAR), "end": CURRENT_YEAR,
                        "description": "реализация дорожных карт"}],
            "expected_results": ["Сокращение числа ШНОР не менее чем на 30 % в год."],
            "control": "Управление образования",
            "budget": "в рамках текущего финансирования",
            "web_address": "https://obrazovanie.example.ru/500plus/",
            "targets": targets,
        }
        self.files[f"programmes/{self.programme_code}.yml"] = _yaml(doc)

    def _reports(self, first: date, last: date, final: str | None) -> list[dict]:
        """A status history: не начато → в работе → (выполнено), dated and in order."""
        rng = self.rng
        last = min(last, self.as_of)
        if last < first:
            return []
        steps = {"не начато": 1, "в работе": 2, "выполнено": 3, None: 0}[final]
        dates = sorted(_day(rng, first, last) for _ in range(steps))
        out = []
        for n, when in enumerate(dates):
            status = STATES[3 - steps + n]
            report: dict = {"date": when, "status": status, "text": f"{status.capitalize()}: отчёт от {when:%d.%m.%Y}."}
            if status == "выполнено" and rng.random() < 0.5:
                report["evidence"] = [{"title": "Отчёт на сайте", "url": f"https://obrazovanie.example.ru/reports/{when:%Y%m%d}/"}]
            out.append(report)
        return out

    def _items(self, prefix: str, count: int) -> list[dict]:
        rng = self.rng
        first = date(self.years[0], 1, 1)
        items = []
        for n in range(1, count + 1):
            item: dict = {"number": f"{prefix}.{n}", "title": f"Мероприятие {prefix}.{n}: "
                          + rng.choice(("семинар для учителей", "мониторинг результатов", "заседание рабочей группы",
                                        "отчёт о реализации", "взаимопосещение уроков", "анкетирование родителей"))}
            kind = rng.random()
            if kind < 0.5:
                due = _day(rng, first, date(CURRENT_YEAR, 12, 31))
                item["deadline"] = f"до {due:%d.%m.%Y}"
                item["due"] = due
                final = rng.choice(("выполнено", "выполнено", "в работе", None)) if due <= self.as_of else \
                    rng.choice(("в работе", "не начато", None))
                item["reports"] = self._reports(max(first, due - timedelta(days=120)), due + timedelta(days=10), final)
            else:
                recurrence = rng.choice(("yearly", "quarterly", "continuous"))
                item["deadline"] = {"yearly": "ежегодно", "quarterly": "ежеквартально", "continuous": "постоянно"}[recurrence]
                item["period"] = {"start": first, "end": date(CURRENT_YEAR, 12, 31)}
                item["recurrence"] = recurrence
                item["reports"] = self._reports(first, self.as_of, rng.choice(("выполнено", "в работе")))
            item["responsible"] = rng.choice(("Управление образования", "Методический центр", "Администрация школы"))
            item["expected_result"] = "Мероприятие проведено, результаты опубликованы"
            if not item["reports"]:
                del item["reports"]
            items.append(item)
        return items

    def make_roadmaps(self) -> None:
        rng = self.rng
        sections = []
        for number, title in enumerate(("Организационные мероприятия", "Методическая поддержка", "Мониторинг"), start=1):
            sections.append({"code": str(number), "title": title, "items": self._items(str(number), rng.randint(4, 6))})
        sections.append({"code": "4", "title": "Информационная открытость", "items": [{
            "number": "4.1", "title": "Обновление раздела «Проект «500+»» на сайте",
            "deadline": "ежеквартально", "period": {"start": date(self.years[0], 1, 1), "end": date(CURRENT_YEAR, 12, 31)},
            "recurrence": "quarterly", "responsible": "Методический центр", "openness": True, "fulfilled_in": "roadmaps",
            "reports": self._reports(date(CURRENT_YEAR, 7, 1), self.as_of, "выполнено")}]})
        self.files["roadmaps/municipal.yml"] = _yaml({
            "code": "municipal", "title": "Дорожная карта реализации муниципальной программы поддержки ШНОР и ШНСУ",
            "programme": self.programme_code, "school": "",
            "approved": {"by": "Приказ управления образования", "number": "431", "date": date(self.years[0], 6, 7)},
            "sections": sections})
        current = self.participants[CURRENT_YEAR]
        for code in current[: self.school_roadmaps]:
            self.files[f"roadmaps/school-{code}.yml"] = _yaml({
                "code": f"school-{code}", "title": f"Дорожная карта школы {code} по выходу из статуса ШНОР",
                "programme": self.programme_code, "school": code,
                "sections": [{"code": "1", "title": "Мероприятия школы", "items": self._items("1", rng.randint(5, 9))}]})

    def make_site(self) -> None:
        self.files["site.yml"] = _yaml({
            "municipality": f"Синтетический район ({self.n} школ)",
            "region": "Ростовская область",
            "department": "Управление образования Синтетического района",
            "contacts": {"address": "346000, Ростовская обл., г. Центральный, ул. Школьная, д. 1",
                         "phone": "+7 (800) 000-00-00", "email": "500plus@obrazovanie.example.ru",
                         "person": "Муниципальный координатор проекта", "hours": "пн–пт 9:00–17:00"},
            "base_url": "https://obrazovanie.example.ru/500plus/",
            "current_year": CURRENT_YEAR,
            "min_group_size": 5,
            "demo": True,
            "demo_note": "Синтетические данные для замеров скорости (generator/synth.py).",
            "as_of": self.as_of,
            "programme_targets": {"participants_reduction": {"rule": {"min": 30}}, "improved": {"rule": {"min": 25}}},
        })

    def generate(self) -> dict[str, str]:
        self.make_schools()
        self.make_statuses()
        self.make_indicators()
        self.make_results()
        self.make_programme()
        self.make_roadmaps()
        self.make_site()
        return dict(sorted(self.files.items()))


def generate(schools: int, years: int = 6, indicators: int = 12, seed: int = 1, school_roadmaps: int = 5) -> dict[str, str]:
    """Relative path → file text. Pure: same arguments, same text."""
    return Municipality(schools, years, indicators, seed, school_roadmaps).generate()


def write(files: dict[str, str], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth",
                                     description="Синтетические данные по формату docs/data-contract.md (для замеров).")
    parser.add_argument("--schools", type=int, required=True, help="число школ (не меньше 10)")
    parser.add_argument("--years", type=int, default=6, help="число лет (по умолчанию 6)")
    parser.add_argument("--indicators", type=int, default=12, help="число показателей (по умолчанию 12)")
    parser.add_argument("--seed", type=int, default=1, help="зерно генератора случайных чисел (по умолчанию 1)")
    parser.add_argument("--school-roadmaps", type=int, default=5, help="сколько школ получат дорожные карты (5)")
    parser.add_argument("--out", type=Path, required=True, help="папка для данных (файлы в ней перезаписываются)")
    args = parser.parse_args(argv)
    try:
        files = generate(args.schools, args.years, args.indicators, args.seed, args.school_roadmaps)
    except ValueError as err:
        print(f"ошибка: {err}", file=sys.stderr)
        return 2
    write(files, args.out)
    print(f"Записано файлов: {len(files)} в {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
