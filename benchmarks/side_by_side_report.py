"""The side-by-side benchmark's report: one Markdown table, how each row was measured."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from simulator.wallbox.model import WallboxSettings

from .side_by_side_metrics import Delays, Outage, QuickValues, Refusals, Resume

COLUMNS = (("core", 1), ("ours", 1), ("core", 3), ("ours", 3))


@dataclass(frozen=True, slots=True)
class Column:
    """What one integration did with one account size."""

    requests_per_hour: float
    requests_by_kind: dict[str, int]
    refusals: Refusals
    delays: Delays
    wrong_share: float
    resume: Resume
    outage: Outage
    quick: QuickValues
    new_charger: float | None
    logged: dict[str, int]  # records at WARNING and above, by level name


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} s"


def cell_requests(_label: str, column: Column) -> str:
    """Requests per hour."""
    return f"{column.requests_per_hour:.1f}"


def cell_kinds(_label: str, column: Column) -> str:
    """Requests by kind over the whole run."""
    return ", ".join(f"{kind} {count}" for kind, count in column.requests_by_kind.items() if count)


def cell_refusals(_label: str, column: Column) -> str:
    """429s of the rate limit, the injected ones, 403s if any."""
    refused = column.refusals
    text = f"{refused.rate_limited} (+{refused.injected} in the outage)"
    return text + (f"; 403: {refused.forbidden}" if refused.forbidden else "")


def cell_delays(_label: str, column: Column) -> str:
    """Mean and max delay of a power change."""
    delays = column.delays
    text = f"{_seconds(delays.mean)} / {_seconds(delays.max)} ({len(delays.shown)} changes)"
    return text + (f"; {delays.missed} not shown before the next" if delays.missed else "")


def cell_wrong(_label: str, column: Column) -> str:
    """Share of samples with a wrong or missing power."""
    return f"{column.wrong_share:.1%}"


def cell_resume(_label: str, column: Column) -> str:
    """Switch on after a pause made in the cloud."""
    resume = column.resume
    if not resume.on_before:
        return "void: the switch was not on before the pause"
    if resume.called_at is None:
        return "paused state never shown"
    on = (
        f"on after {_seconds(resume.on_for_good)}"
        if resume.on_for_good is not None
        else "not on at the end"
    )
    parts = [on, "springs back" if resume.springs_back else "no spring-back"]
    if resume.first_on is not None and resume.first_on != resume.on_for_good:
        parts.append(f"first on after {_seconds(resume.first_on)}")
    if resume.error:
        parts.append(f"call: {resume.error}")
    if not resume.cloud_resumed:
        parts.append("cloud still paused")
    parts.append(f"(pause shown after {_seconds(resume.shown_paused_after)})")
    return "; ".join(parts)


def cell_outage(_label: str, column: Column) -> str:
    """Time from the outage's end until every charger shows fresh values."""
    outage = column.outage
    recovered = (
        _seconds(outage.recovered_after)
        if outage.recovered_after is not None
        else "not within 30 min"
    )
    shown = "power unavailable during it" if outage.went_unavailable else "kept values"
    return f"{recovered} ({shown})"


def cell_quick(_label: str, column: Column) -> str:
    """20 quick values: writes sent, refused, and where the charger ended."""
    quick = column.quick
    ends = "yes" if quick.cloud == quick.last else f"no ({quick.cloud} A, not {quick.last} A)"
    shown = "—" if quick.shown is None else f"{quick.shown:g} A"
    return (
        f"{quick.writes} sent, {quick.refused} refused (429), {quick.errors} calls failed; "
        f"ends at the last value: {ends}; HA shows {shown}"
    )


def cell_new_charger(label: str, column: Column) -> str:
    """Time until a charger added in the cloud has a power value in HA."""
    if label == "core":
        return "n/a (one entry per charger, added by hand)"
    return _seconds(column.new_charger) if column.new_charger is not None else "not in 90 min"


def cell_logged(_label: str, column: Column) -> str:
    """What the integration logged at warning and above."""
    if not column.logged:
        return "none"
    return ", ".join(
        f"{count} {level.lower()}{'' if count == 1 else 's'}"
        for level, count in sorted(column.logged.items())
    )


ROWS: tuple[tuple[str, Callable[[str, Column], str]], ...] = (
    ("Requests/h (all, incl. sign-in/refresh)", cell_requests),
    ("Requests in 6 h by kind", cell_kinds),
    ("429 answers (403s)", cell_refusals),
    ("Power change → shown, mean / max", cell_delays),
    ("Power shown wrong (share of 5 s samples)", cell_wrong),
    ("Resume → switch on", cell_resume),
    ("After a 10 min 429 outage → all fresh", cell_outage),
    ("20 quick values of max current in 1 s", cell_quick),
    ("First read of a new charger", cell_new_charger),
    ("Log records at warning and above", cell_logged),
)

HOW = """\
How each row is measured (simulated time; HA = Home Assistant's states):
- Requests: every request the account sent to its cloud as the simulator logged it \
(sign-in, token refresh, reads, writes, refused ones), from setup to the end of the 6 h, \
the scripted events included; divided by 6.
- 429s: answers of the simulator's rate limit; "+N in the outage" are the injected ones. \
403s (a rate limit some clouds answer with 403) are shown only if there were any.
- Power change → shown: the charging car's power limit is changed in the simulator every \
5-15 min (seeded, 1.5-10 kW, outside the windows of the events below); HA's power \
sensor is sampled every 5 s; delay = first sample showing the new truth (±0.05 kW), so \
5 s is the smallest possible.
- Power shown wrong: share of all 5 s samples of the 6 h (pause and outage included) \
whose shown power is missing or off the truth by more than 0.05 kW.
- Resume (at 2 h): the charging charger is paused in the cloud (as from the app); once \
HA's switch shows off, switch.turn_on is called (ours: `charging`, core: `pause/resume`); \
time until the switch is on for good, 0 s = at once; "springs back" = on, then off \
again within 15 min.
- Outage (at 3 h): the cloud answers every request 429 with Retry-After: 60 for 10 min; \
a minute in, every charger's max charging current is changed in the cloud; time from \
the end until every entity available before the outage is available again and, for \
every charger, HA shows the true power and the new current.
- 20 quick values (at 1 h): number.set_value of the max charging current, 20 calls 50 ms \
apart, values 6-15 A; requests other than GET sent (writes) within 10 min, how many were \
answered 429, how many service calls raised, and whether the cloud ends at the last \
value asked.
- New charger (at 4 h): a charger is added to the account in the cloud; time until HA \
has a value for its power sensor. Core has one config entry per charger, added by hand.
- Log records: what each integration logged at warning and above (kept off the console).
"""


def format_report(results: Mapping[Any, Any], hours: int) -> str:
    """The table, how it was measured, and the line on our Podero and Thor requests."""
    defaults = WallboxSettings()
    lines = [
        f"Core `wallbox` integration (wallbox==0.9.0) beside ours, {hours} simulated hours, "
        f"the simulator's default Wallbox limits ({defaults.get_per_minute:g} GET/min, "
        f"burst {defaults.get_burst:g}; writes {defaults.write_per_minute:g}/min, burst "
        f"{defaults.write_burst:g}). Each integration has its own simulator, so its own "
        "account and rate-limit bucket (one shared account would halve each one's budget). "
        "Identical accounts; 3 chargers = one charging (3 phases, 16 A; the car's limit "
        "sets the power), one with a full car, one without a car.",
        "",
        "| | " + " | ".join(f"{label} {n}" for label, n in COLUMNS) + " |",
        "|---|" + "---|" * len(COLUMNS),
    ]
    for title, cell in ROWS:
        cells = [
            cell(label, results[label, n]) if (label, n) in results else "—" for label, n in COLUMNS
        ]
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    others = [
        f"{name} {results[key][0]:.1f} requests/h ({results[key][1]} answered 429)"
        for key, name in (
            ("podero", "Podero (demo-like: 1 wallbox + 2 EVs)"),
            ("thor", "Thor (demo account: 3 boxes, 4 connectors)"),
        )
        if key in results
    ]
    if others:
        lines += ["", f"Ours on the other clouds over the same {hours} h: " + "; ".join(others)]
    lines += ["", HOW.rstrip()]
    return "\n".join(lines)
