"""The site's fixed words: status and state marks, titles of the programme's own indicators.

Kept apart from the templates so that pages, embeds and badges say the same thing in the same words.
"""
from __future__ import annotations

from generator.model import Indicator

STATUS_WORDS = {
    "achieved": ("✓", "достигнуто"),
    "not_achieved": ("✗", "не достигнуто"),
    "no_data": ("—", "нет данных"),
    "suppressed": ("○", "скрыто"),
    "no_target": ("·", "цель не задана"),
}
STATE_WORDS = {
    "done": ("✓", "выполнено"),
    "in_progress": ("◔", "в работе"),
    "not_started": ("○", "не начато"),
    "overdue": ("!", "просрочено"),
    "cancelled": ("✗", "отменено"),
}
PROGRAMME_TITLES = {
    "participants": "Число школ — участников программы (ШНОР и ШНСУ)",
    "participants_reduction": "Сокращение числа участников к прошлому году",
    "repeat_participants": "Школы, участвующие второй год подряд",
    "mentor_agreements": "Доля участников с подписанным договором со школой-наставником",
    "agreements": "Число договоров о сотрудничестве со школами-наставниками за год",
    "improved": "Доля участников, улучшивших показатель",
}


def programme_title(code: str, indicators: dict[str, Indicator]) -> str:
    base, _, rest = code.partition(":")
    if base == "improved" and rest in indicators:
        return f"{PROGRAMME_TITLES['improved']} «{indicators[rest].title}»"
    return PROGRAMME_TITLES.get(base, code)
