"""The validated data model: plain frozen dataclasses, no I/O.

One concern, though past 300 lines: these ~30 small classes are the contract every stage shares
(the loaders build them, every later stage reads them), and `Dataset` holds the indexes over them;
split across files, a reader would have to open several to see what one data file becomes.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from decimal import Decimal

from generator.russian import Word


STATUS_SHNOR = "ШНОР"
STATUS_SHNSU = "ШНСУ"
STATUS_MENTOR = "наставник"
SCHOOL_STATUSES = (STATUS_SHNOR, STATUS_SHNSU, STATUS_MENTOR)
PARTICIPANT_STATUSES = (STATUS_SHNOR, STATUS_SHNSU)

REPORT_STATUSES = ("выполнено", "в работе", "не начато", "отменено")
RECURRENCES = ("once", "yearly", "quarterly", "monthly", "continuous")
PUBLISH_LEVELS = ("school", "aggregate", "none")
SCOPES = ("school", "participants", "all", "municipality")


@dataclass(frozen=True)
class Source:
    """Where a fact came from, for messages and 'last updated' dates."""

    file: str
    line: int


@dataclass(frozen=True)
class Contacts:
    address: str = ""
    phone: str = ""
    email: str = ""
    person: str = ""
    hours: str = ""


@dataclass(frozen=True)
class Rule:
    kind: str  # "min" | "max" | "equals" | "dynamics" | "goal" (a range or a multiple of the baseline)
    value: Decimal | None = None  # threshold for min/max/equals
    direction: str = ""  # "positive" | "negative" for dynamics
    goal: "Goal | None" = None  # kind "goal"


@dataclass(frozen=True)
class Goal:
    """A target that is not one number. A range «25–30 %» is achieved from its lower bound (the upper,
    when lower is better) and shown whole. A multiple «× 1,3» is of the same series' value in the
    baseline year: «увеличение в 1,3 раза» (divided, «снижение в 1,3 раза», when lower is better)."""
    low: Decimal | None = None
    high: Decimal | None = None
    factor: Decimal | None = None


@dataclass(frozen=True)
class Target:
    """A target for one indicator: a rule and per-year values replacing its threshold."""

    rule: Rule | None
    by_year: dict[int, "Decimal | Goal"] = field(default_factory=dict)

    def threshold(self, year: int) -> Decimal | None:
        """The year's target when it is one number (see `goal` for ranges and multiples)."""
        found = self.goal(year)
        return found if isinstance(found, Decimal) else None

    def goal(self, year: int) -> "Decimal | Goal | None":
        if year in self.by_year:
            return self.by_year[year]
        if self.rule is None:
            return None
        return self.rule.goal if self.rule.kind == "goal" else self.rule.value


SIMILAR_WITHIN = ("municipality", "district")


@dataclass(frozen=True)
class SimilarConfig:
    """site.yml `similar_schools` (docs/similar-schools.md): the context indicators a school's group of
    similar schools is found by, how many schools a group has, and whether they come from the whole
    municipality or from the school's own district (schools.csv `district`)."""

    context: tuple[str, ...]  # indicator codes from indicators.yml
    size: int = 5
    within: str = "municipality"  # one of SIMILAR_WITHIN
    lines: tuple[int, ...] = field(default=(), compare=False)  # site.yml line of each context code, for messages


MUNICIPALITY_KINDS = {"район": ("района", "району"), "город": ("города", "городу"), "округ": ("округа", "округу")}


@dataclass(frozen=True)
class Site:
    municipality: str
    department: str
    base_url: str
    current_year: int
    min_group_size: int = 5
    demo: bool = False
    region: str = ""
    contacts: Contacts = Contacts()
    as_of: date | None = None
    demo_note: str = ""
    programme_targets: dict[str, Target] = field(default_factory=dict)
    results_since: int | None = None  # first year of data accepted before the first programme's period
    kind: str = "район"  # район | город | округ: the words «все школы района / города / округа»
    similar: SimilarConfig | None = None  # site.yml `similar_schools`; None: no groups of similar schools

    @property
    def area_of(self) -> str:
        """«района», «города», «округа»: as in «все школы района»."""
        return MUNICIPALITY_KINDS[self.kind][0]

    @property
    def area_to(self) -> str:
        """«району», «городу», «округу»: as in «динамика по району»."""
        return MUNICIPALITY_KINDS[self.kind][1]

    @property
    def area_whole(self) -> str:
        """«район в целом»: the municipality's own figures (rows of results.csv without a school)."""
        return f"{self.kind} в целом"


@dataclass(frozen=True)
class School:
    code: str
    name: str
    short_name: str
    district: str = ""
    website: str = ""
    address: str = ""
    project_page: str = ""  # the school's «Проект «500+»» tab on its own website
    roadmap_url: str = ""  # the school's own published copy of its roadmap
    source: Source = Source("", 0)

    @property
    def label(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class Rename:
    """A school's code changed (reorganisation): the old address redirects to the new page."""

    old: str
    new: str
    date: date | None = None
    reason: str = ""


@dataclass(frozen=True)
class Status:
    year: int
    school: str
    status: str


@dataclass(frozen=True)
class Mentorship:
    year: int
    mentor: str
    mentee: str
    agreement: str = ""  # its number; NOT_SIGNED words when the data says there is none; "" = unknown
    agreement_date: date | None = None
    forms: str = ""
    line: int = field(default=0, compare=False)  # in mentorships.csv, for warnings

    @property
    def signed(self) -> bool:
        return bool(self.agreement) and not self.not_signed

    @property
    def not_signed(self) -> bool:
        return self.agreement.strip().lower() in NOT_SIGNED

    @property
    def agreement_known(self) -> bool:
        """Blank is «нет сведений», never «не подписан»: only the data can say an agreement is missing."""
        return bool(self.agreement.strip())


NOT_SIGNED = ("нет", "не подписан")


@dataclass(frozen=True)
class Measure:
    code: str
    title: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Result:
    year: int
    school: str  # "" = municipality-level figure
    measure: str
    value: Decimal | None  # None = not reported


@dataclass(frozen=True)
class Baseline:
    year: int
    value: Decimal | None  # None: each school's and group's own value of that year (a «× 1,3» target)


# What an indicator counts decides how a group's value is formed and which privacy rule applies
# (docs/data-contract.md, «Виды показателей»).
INDICATOR_KINDS = {
    "share": "доля учеников (или других людей): 100 × числитель / знаменатель",
    "share_of": "доля школ, педагогов, мероприятий — единиц, которые не дети",
    "mean": "средний балл с числом участников",
    "index": "готовое значение школы, которое не складывается (относительный балл, индекс)",
    "count": "количество мероприятий, договоров, обращений",
    "children": "количество детей",
}


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    group: str
    unit: str  # a generator.russian.Unit when loaded from indicators.yml
    numerator: str
    denominator: str  # shares: the denominator; mean: the number of participants; "" otherwise
    better: str  # "higher" | "lower"
    target: Target
    explanation: str = ""
    source: str = ""
    frequency: str = ""
    baseline: Baseline | None = None
    publish: str = "school"
    kind: str = ""  # one of INDICATOR_KINDS; "" = share for «%», count otherwise
    counted: Word | None = None  # share_of: what is counted («школ»)

    def __post_init__(self) -> None:
        if not self.kind:
            object.__setattr__(self, "kind", "share" if self.unit == "%" else "count")

    @property
    def is_share(self) -> bool:
        """A percentage: 100 × numerator / denominator."""
        return self.kind in ("share", "share_of")

    @property
    def is_ratio(self) -> bool:
        """A value of two figures that a group forms by adding both (shares, and means weighted by n)."""
        return self.kind in ("share", "share_of", "mean")

    @property
    def protected(self) -> bool:
        """A figure about children: hidden below min_group_size, and never recoverable from totals."""
        return self.kind in ("share", "mean", "children")

    @property
    def summable(self) -> bool:
        """Whether a group has a value at all: a given relative score or index does not add up."""
        return self.kind != "index"

    @property
    def size_measure(self) -> str:
        """The measure that says how many children a figure is about (the small-group rule's input)."""
        return self.numerator if self.kind == "children" else self.denominator


@dataclass(frozen=True)
class Approval:
    by: str = ""
    number: str = ""
    date: date | None = None


@dataclass(frozen=True)
class Stage:
    title: str
    start: int | None = None
    end: int | None = None
    description: str = ""


@dataclass(frozen=True)
class ProgrammeTarget:
    indicator: str
    scope: str  # participants | all | municipality | programme
    title: str = ""
    unit: str = ""
    baseline: Baseline | None = None
    plan: dict[int, Decimal] = field(default_factory=dict)
    line: int = 0


@dataclass(frozen=True)
class Criterion:
    """A criterion of the programme as the document publishes it (formula and threshold as written)."""
    title: str
    formula: str = ""
    threshold: str = ""
    unit: str = ""
    note: str = ""


@dataclass(frozen=True)
class Risk:
    risk: str
    mitigation: str = ""


@dataclass(frozen=True)
class Body:
    """A governance body or participant of the programme's model, with its functions."""
    body: str
    functions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Part:
    """Any other part of a document published as written (background, legal basis, directions,
    measures, resources, …): a heading, its paragraphs and its list items."""
    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    place: str = "end"  # start: right after the passport (background, legal basis); end: after the rest


AUDIENCES = {  # code → heading; the order of the site
    "pupils": "Обучающимся", "parents": "Родителям (законным представителям)", "teachers": "Педагогам",
    "schools": "Администрации школ", "mentors": "Школам-наставникам", "methodists": "Методической службе",
    "department": "Управлению образования", "other": "",  # other: the programme names the audience (`title`)
}


@dataclass(frozen=True)
class Recommendation:
    audience: str  # a key of AUDIENCES
    title: str  # the heading as the document words it (default: AUDIENCES[audience])
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Programme:
    code: str
    title: str
    period_start: int
    period_end: int
    short_title: str = ""
    approved: Approval = Approval()
    developers: tuple[str, ...] = ()
    executors: tuple[str, ...] = ()
    goal: str = ""
    tasks: tuple[str, ...] = ()
    stages: tuple[Stage, ...] = ()
    expected_results: tuple[str, ...] = ()
    control: str = ""
    budget: str = ""
    web_address: str = ""
    targets: tuple[ProgrammeTarget, ...] = ()
    title_period: tuple[int, int] | None = None  # years in the document's title, when not the period's
    principles: tuple[str, ...] = ()
    mechanism: tuple[str, ...] = ()
    realisation_indicators: tuple[str, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    risks: tuple[Risk, ...] = ()
    governance: tuple[Body, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    openness: tuple[str, ...] = ()  # openness obligations stated in the programme's own text
    parts: tuple[Part, ...] = ()  # the document's other parts, in its order
    source: Source = Source("", 0)


@dataclass(frozen=True)
class Evidence:
    title: str
    url: str


@dataclass(frozen=True)
class Report:
    date: date
    status: str
    text: str = ""
    evidence: tuple[Evidence, ...] = ()
    covers: date | None = None  # a date of the occurrence it reports on («for»); else the earliest open one


@dataclass(frozen=True)
class Frame:
    """A roadmap's period: 1 January of its first year – 31 December of its last. `since`: the day it was
    approved, when later: a recurring deadline (every quarter, every year) runs from then, not before
    the order existed; a one-off date is kept as written."""
    start: date
    end: date
    since: date | None = None


@dataclass(frozen=True)
class Occurrence:
    """One deadline of an item: `due` inclusive; `start` is the first day a report counts toward it."""
    start: date
    due: date
    coverage: bool = False  # continuous work: a report dated inside [start, due] is needed


@dataclass(frozen=True)
class Schedule:
    """An item's deadlines as read from its wording (load/deadlines.py) or from due/period/recurrence."""
    occurrences: tuple[Occurrence, ...]
    judged: bool
    text: str  # as shown on the page, so that a reader can check the reading


@dataclass(frozen=True)
class RoadmapItem:
    number: str
    title: str
    deadline: str  # as written in the source document
    due: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    recurrence: str = "once"
    responsible: str = ""
    expected_result: str = ""
    indicator: str = ""
    targets: dict[int, str] = field(default_factory=dict)
    openness: bool = False
    fulfilled_in: str = ""  # site section where an information-openness item is fulfilled
    reports: tuple[Report, ...] = ()
    source: Source = Source("", 0)
    schedule: Schedule | None = None  # set by validation, which knows the roadmap's frame


@dataclass(frozen=True)
class RoadmapSection:
    code: str
    title: str
    items: tuple[RoadmapItem, ...]


@dataclass(frozen=True)
class Roadmap:
    code: str
    title: str
    programme: str = ""
    school: str = ""  # "" = municipal roadmap
    approved: Approval = Approval()
    sections: tuple[RoadmapSection, ...] = ()
    source: Source = Source("", 0)
    years: tuple[int, int] | None = None  # its own period («на 2021 год»); default: its programme's

    @property
    def items(self) -> tuple[RoadmapItem, ...]:
        return tuple(item for section in self.sections for item in section.items)


@dataclass(frozen=True)
class Link:
    title: str
    url: str = ""
    document: str = ""  # a document code instead of a URL


@dataclass(frozen=True)
class NewsItem:
    slug: str
    title: str
    date: date
    kind: str  # анонс | отчёт | новость
    body: str  # sanitised Markdown
    event_date: date | None = None
    report_for: str = ""
    schools: tuple[str, ...] = ()
    roadmap_items: tuple[str, ...] = ()  # "<roadmap code>:<item number>"
    documents: tuple[str, ...] = ()
    practices: tuple[str, ...] = ()
    source: Source = Source("", 0)


@dataclass(frozen=True)
class Practice:
    slug: str
    title: str
    school: str
    topic: str
    date: date
    body: str
    materials: tuple[Link, ...] = ()
    schools: tuple[str, ...] = ()  # schools that adopted it
    source: Source = Source("", 0)


@dataclass(frozen=True)
class Document:
    code: str
    kind: str
    title: str
    number: str = ""
    date: date | None = None
    file: str = ""  # path under the data folder, e.g. files/order-426.pdf
    url: str = ""
    size: int = 0  # bytes, for a local file
    source: Source = Source("", 0)

    @property
    def format(self) -> str:
        name = self.file or self.url
        return name.rsplit(".", 1)[-1].upper() if "." in name.rsplit("/", 1)[-1] else ""


NEWS_KINDS = ("анонс", "отчёт", "новость")
DOCUMENT_KINDS = ("приказ", "программа", "договор", "положение", "отчёт", "методические рекомендации")
SITE_SECTIONS = ("home", "programmes", "roadmaps", "schools", "mentors", "indicators", "open-data", "news",
                 "practices", "documents", "parents", "for-schools", "feed")


MUNICIPALITY = ""  # the school code of the municipality's own rows of results.csv
Figures = dict[tuple[int, str], "Decimal | None"]  # (year, measure) → value


@dataclass(eq=False)
class ResultRows:
    """The rows of results.csv by school ("" — the municipality), each parsed when first needed.

    `digests`: school → digest of its lines (None when the file was read whole); what the build
    caches key on. `years`: every reporting year present in the file.
    """
    years: frozenset[int]
    digests: dict[str, str | None]
    _figures: dict[str, Figures] = field(default_factory=dict)
    _parse: Callable[[str], Figures] | None = None

    def figures(self, school: str) -> Figures:
        found = self._figures.get(school)
        if found is None:
            found = self._parse(school) if self._parse is not None and school in self.digests else {}
            self._figures[school] = found
        return found

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ResultRows):
            return NotImplemented
        return (self.years == other.years and set(self.digests) == set(other.digests)
                and all(self.figures(code) == other.figures(code) for code in self.digests))

    def __hash__(self) -> int:
        return hash(self.years)


@dataclass(frozen=True)
class Dataset:
    site: Site
    schools: tuple[School, ...]
    statuses: tuple[Status, ...] = ()
    mentorships: tuple[Mentorship, ...] = ()
    measures: tuple[Measure, ...] = ()
    results: ResultRows = field(default_factory=lambda: ResultRows(frozenset(), {}))
    indicators: tuple[Indicator, ...] = ()
    programmes: tuple[Programme, ...] = ()
    roadmaps: tuple[Roadmap, ...] = ()
    renames: tuple[Rename, ...] = ()
    news: tuple[NewsItem, ...] = ()
    practices: tuple[Practice, ...] = ()
    documents: tuple[Document, ...] = ()

    # The dataset is immutable, so indexes over it are built once, on first use, and kept on the
    # instance (cached_property writes to __dict__, which a frozen dataclass allows). They keep
    # every lookup below O(1) or O(size of the answer): nothing here may scan all schools per school.

    def school(self, code: str) -> School:
        return self._schools_by_code[code]

    @cached_property
    def _schools_by_code(self) -> dict[str, School]:
        return {s.code: s for s in self.schools}

    @cached_property
    def years(self) -> tuple[int, ...]:
        """Reporting years present in statuses or results, up to the current year."""
        years = {s.year for s in self.statuses} | set(self.results.years)
        return tuple(sorted(y for y in years if y <= self.site.current_year))

    @cached_property
    def _participants_by_year(self) -> dict[int, frozenset[str]]:
        by_year: dict[int, set[str]] = {}
        for s in self.statuses:
            if s.status in PARTICIPANT_STATUSES:
                by_year.setdefault(s.year, set()).add(s.school)
        return {year: frozenset(codes) for year, codes in by_year.items()}

    def participants(self, year: int) -> frozenset[str]:
        return self._participants_by_year.get(year, frozenset())

    @cached_property
    def _statuses_by_school(self) -> dict[str, dict[int, tuple[str, ...]]]:
        grouped: dict[str, dict[int, list[str]]] = {}
        for s in self.statuses:
            grouped.setdefault(s.school, {}).setdefault(s.year, []).append(s.status)
        return {school: {y: tuple(sorted(v, key=SCHOOL_STATUSES.index)) for y, v in sorted(years.items())}
                for school, years in grouped.items()}

    def statuses_of(self, school: str) -> dict[int, tuple[str, ...]]:
        return dict(self._statuses_by_school.get(school, {}))
