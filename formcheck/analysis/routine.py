"""The stretching plan: which stretches, how many holds per side, how long to hold.

Default from the seed advice: knee-to-chest 3 holds per side, forward bend 3 holds, each held
20-30 s with rest between. A small TOML file overrides it (or the [plan] section of a settings
file, see settings.py):

    hold_s = [20, 30]
    rest_s = 15
    days_per_week = 7           # the seed advice: every day
    [[stretch]]
    name = "knee_to_chest"
    side = "left"
    reps = 2
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcheck.errors import FormcheckError
from formcheck.types import Hold

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

NAMES = {"knee_to_chest": "Knee to chest", "forward_bend": "Forward bend"}


@dataclass(frozen=True, slots=True)
class PlanItem:
    stretch: str
    side: str | None
    reps: int

    @property
    def label(self) -> str:
        return NAMES[self.stretch] + (f" ({self.side})" if self.side else "")


@dataclass(frozen=True, slots=True)
class Plan:
    items: tuple[PlanItem, ...] = (
        PlanItem("knee_to_chest", "left", 3),
        PlanItem("knee_to_chest", "right", 3),
        PlanItem("forward_bend", None, 3),
    )
    hold_s: tuple[float, float] = (20.0, 30.0)
    rest_s: float = 15.0
    days_per_week: int = 7  # "daily": the progress report's adherence is days stretched against this

    def done(self, holds: list[Hold]) -> dict[PlanItem, int]:
        return {it: sum(1 for h in holds if h.stretch == it.stretch and h.side == it.side) for it in self.items}

    def next_item(self, holds: list[Hold]) -> PlanItem | None:
        done = self.done(holds)
        return next((it for it in self.items if done[it] < it.reps), None)


def plan_from_dict(data: dict[str, Any], where: str = "plan") -> Plan:
    """A plan from parsed TOML: `hold_s`, `rest_s` and `[[stretch]]` entries (see the module doc)."""
    items = []
    for entry in data.get("stretch", []):
        name, side, reps = entry.get("name"), entry.get("side"), entry.get("reps", 3)
        if name not in NAMES:
            raise FormcheckError(f"{where}: unknown stretch {name!r} (use knee_to_chest or forward_bend)")
        if side not in (None, "left", "right") or (name == "forward_bend" and side is not None):
            raise FormcheckError(f"{where}: side must be left or right for knee_to_chest, absent for forward_bend")
        if not isinstance(reps, int) or not 1 <= reps <= 20:
            raise FormcheckError(f"{where}: reps must be a whole number from 1 to 20")
        items.append(PlanItem(name, side, reps))
    unknown = set(data) - {"stretch", "hold_s", "rest_s", "days_per_week"}
    if unknown:
        raise FormcheckError(
            f"{where}: unknown plan setting {sorted(unknown)[0]!r} (hold_s, rest_s, days_per_week, stretch)"
        )
    hold = data.get("hold_s", [20, 30])
    if not (isinstance(hold, list) and len(hold) == 2 and 0 < hold[0] <= hold[1]):
        raise FormcheckError(f"{where}: hold_s must be [min, max] seconds")
    rest = data.get("rest_s", 15)
    if isinstance(rest, bool) or not isinstance(rest, (int, float)) or not 0 <= rest <= 600:
        raise FormcheckError(f"{where}: rest_s must be a number of seconds from 0 to 600")
    days = data.get("days_per_week", 7)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 7:
        raise FormcheckError(f"{where}: days_per_week must be a whole number from 1 to 7")
    return Plan(tuple(items) or Plan().items, (float(hold[0]), float(hold[1])), float(rest), days)


def read_toml(path: str | Path, what: str) -> dict[str, Any]:
    """A TOML file's contents, or one clear error naming `what` it was meant to be."""
    p = Path(path)
    try:
        return tomllib.loads(p.read_text("utf-8"))
    except FileNotFoundError:
        raise FormcheckError(f"no such {what} file: {p}") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FormcheckError(f"cannot read {what} {p}: {exc}") from None


def load_plan(path: str | Path | None) -> Plan:
    """A plan file (the `[plan]` section of a settings file, written at the top level)."""
    if path is None:
        return Plan()
    return plan_from_dict(read_toml(path, "plan"), f"plan {path}")
