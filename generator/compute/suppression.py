"""Secondary suppression: no figure about fewer than `min_group_size` pupils can be recovered by
subtracting published figures from a published group total. Pure."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from generator.model import Indicator
from generator.compute.indicators import SUPPRESSED, IndicatorValue
from generator.compute.school_parts import SchoolPart

def protect(groups: list[IndicatorValue], reported: dict[tuple[str, int], list[tuple[str, object, object]]],
            parts: dict[str, SchoolPart], participants: dict[int, frozenset[str]], indicators: tuple[Indicator, ...],
            min_group: int) -> tuple[list[IndicatorValue], dict[str, dict[tuple[str, int], tuple[bool, bool]]]]:
    """Secondary suppression for share indicators: (the groups, flags on school values).

    A group total publishes its numerator and denominator, so a single hidden school inside it
    could be recomputed by subtracting the published schools. While the hidden members of a
    published group add up to fewer than `min_group` pupils, the published member with the
    smallest denominator is hidden as well (ties broken by school code); if none is left, the
    group total itself is hidden. A change against a newly hidden previous year is hidden too.
    `reported`: (indicator, year) → [(school, numerator, denominator)] of the schools that have a
    value then.
    """
    groups = list(groups)
    index = {(v.indicator, v.scope, v.year): i for i, v in enumerate(groups)}
    victims: dict[str, set[tuple[str, int]]] = defaultdict(set)
    years = sorted({v.year for v in groups})
    for indicator in indicators:
        if not indicator.is_share:
            continue
        code = indicator.code
        for year in years:
            scopes = [index[k] for k in ((code, "participants", year), (code, "all", year)) if k in index]
            if not scopes:
                continue
            # Members with a share: [denominator, hidden?]. Hiding a school changes both groups it
            # belongs to, so the two groups of a year are settled together.
            rows = {s: [d, d < min_group] for s, n, d in reported.get((code, year), ())
                    if n is not None and d is not None and d != 0}
            members = {"participants": participants.get(year, frozenset()), "all": rows}
            changed = True
            while changed:
                changed = False
                for gi in scopes:
                    group = groups[gi]
                    if group.suppressed or group.denominator is None or group.exact is None:
                        continue
                    inside = [(s, row) for s, row in rows.items() if s in members[group.scope]]
                    hidden = sum(row[0] for _, row in inside if row[1])
                    if not hidden or hidden >= min_group:
                        continue
                    # min, not sorted: a sort per round made this O(N log N) per group.
                    victim = min(((row[0], s) for s, row in inside if not row[1]), default=None)
                    if victim is not None:
                        rows[victim[1]][1] = True
                        victims[victim[1]].add((code, year))
                    else:
                        groups[gi] = replace(group, suppressed=True, secondary=True, status=SUPPRESSED)
                    changed = True
    # A change against a newly hidden previous year would reveal it too.
    flags: dict[str, dict[tuple[str, int], tuple[bool, bool]]] = {}
    for school, hidden in victims.items():
        marked = flags[school] = {key: (True, (key[0], key[1] - 1) in hidden) for key in hidden}
        for code, year in hidden:
            if (code, year + 1) in parts[school].pairs and (code, year + 1) not in hidden:
                marked[(code, year + 1)] = (False, True)
    for i, v in enumerate(groups):
        previous = index.get((v.indicator, v.scope, v.year - 1))
        if previous is not None and groups[previous].suppressed and not v.change_hidden:
            groups[i] = replace(v, change_hidden=True)
    return groups, flags


def flagged(v: IndicatorValue, flag: tuple[bool, bool] | None) -> IndicatorValue:
    """`flag`: (hidden by secondary suppression, change hidden) from `protect`."""
    if flag is None:
        return v
    secondary, change_hidden = flag
    if secondary:
        v = replace(v, suppressed=True, secondary=True, status=SUPPRESSED)
    return replace(v, change_hidden=True) if change_hidden and not v.change_hidden else v
