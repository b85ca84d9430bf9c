"""Settings in one place: every threshold of `AnalysisConfig` and the plan, from one TOML file.

    [plan]                      # the routine; its hold_s is THE hold target everywhere
    hold_s = [20, 30]           # (verdicts, live cues, history credit)
    rest_s = 15                 # live mode counts the rest down between reps
    days_per_week = 7           # the progress report counts days stretched against this
    [[plan.stretch]]
    name = "knee_to_chest"
    side = "left"
    reps = 2

    [user]
    name = "Ann Smith"          # optional: printed on the session reports
    [hold]                      # any field of any AnalysisConfig section (analysis/config.py)
    min_dwell_s = 1.0
    [forward_bend]
    enter_reach = 0.6

`formcheck config show [--config FILE]` prints the effective settings and where each comes from.
Unknown sections or keys are errors (a typo must not be silently ignored).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from formcheck.analysis.config import AnalysisConfig
from formcheck.analysis.routine import Plan, plan_from_dict, read_toml
from formcheck.errors import FormcheckError

PathLike = str | os.PathLike[str]


@dataclass(frozen=True, slots=True)
class Settings:
    analysis: AnalysisConfig
    plan: Plan
    path: Path | None = None
    overridden: frozenset[str] = frozenset()  # "hold.min_dwell_s", "plan.hold_s", ...
    user_name: str | None = None  # [user] name: who the session reports are for (a physiotherapist reads them)

    def rows(self) -> list[tuple[str, Any, str]]:
        """(key, value, source) for every setting: the file's name where it set it, else default."""
        src = self.path.name if self.path else "settings"
        out: list[tuple[str, Any, str]] = []
        plan = self.plan
        for key, value in (
            ("plan.hold_s", list(plan.hold_s)),
            ("plan.rest_s", plan.rest_s),
            ("plan.days_per_week", plan.days_per_week),
            ("plan.stretch", ", ".join(f"{it.label} x{it.reps}" for it in plan.items)),
        ):
            out.append((key, value, src if key in self.overridden else "default"))
        out.append(("user.name", self.user_name or "", src if self.user_name else "default"))
        for section in fields(self.analysis):
            part = getattr(self.analysis, section.name)
            for f in fields(part):
                key = f"{section.name}.{f.name}"
                value = getattr(part, f.name)
                origin = src if key in self.overridden else "default"
                if key == "hold.target_s":
                    origin = "plan.hold_s"
                out.append((key, list(value) if isinstance(value, tuple) else value, origin))
        return out


def _coerce(key: str, default: Any, value: Any) -> Any:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise FormcheckError(f"setting {key} must be true or false")
        return value
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FormcheckError(f"setting {key} must be a number")
        return type(default)(value)
    if isinstance(default, tuple):
        if not isinstance(value, list) or len(value) != len(default):
            raise FormcheckError(f"setting {key} must be a list of {len(default)} numbers")
        return tuple(_coerce(key, d, v) for d, v in zip(default, value, strict=True))
    raise FormcheckError(f"setting {key} cannot be set from a file")


def settings_from_dict(data: dict[str, Any], where: str = "settings", path: Path | None = None) -> Settings:
    analysis = AnalysisConfig()
    overridden: set[str] = set()
    plan = Plan()
    user_name: str | None = None
    for section, values in data.items():
        if section == "user":
            if not isinstance(values, dict) or set(values) - {"name"} or not isinstance(values.get("name", ""), str):
                raise FormcheckError(f'{where}: [user] takes one setting, name = "..."')
            user_name = str(values.get("name", "")).strip() or None
            continue
        if section == "plan":
            plan = plan_from_dict(values, where)
            overridden |= {f"plan.{k}" for k in values}
            continue
        part: Any = getattr(analysis, section, None) if section in {f.name for f in fields(analysis)} else None
        if part is None or not isinstance(values, dict):
            names = ", ".join(["plan", "user", *(f.name for f in fields(analysis))])
            raise FormcheckError(f"{where}: unknown section [{section}] (sections: {names})")
        known = {f.name for f in fields(part)}
        changes: dict[str, Any] = {}
        for key, value in values.items():
            if section == "hold" and key == "target_s":
                raise FormcheckError(f"{where}: the hold target is set once, as hold_s in [plan]")
            if key not in known:
                raise FormcheckError(f"{where}: unknown setting {section}.{key} (known: {', '.join(sorted(known))})")
            changes[key] = _coerce(f"{section}.{key}", getattr(part, key), value)
            overridden.add(f"{section}.{key}")
        updated: dict[str, Any] = {section: replace(part, **changes)}
        analysis = replace(analysis, **updated)
    # One hold target for everything: verdicts, live cues and the history all read it from here.
    analysis = replace(analysis, hold=replace(analysis.hold, target_s=plan.hold_s))
    return Settings(analysis, plan, path, frozenset(overridden), user_name)


def load_settings(path: PathLike | None = None) -> Settings:
    """The defaults, or the defaults with what a TOML file sets."""
    if path is None:
        return settings_from_dict({})
    p = Path(path)
    return settings_from_dict(read_toml(p, "settings"), str(p), p)


def resolve(settings: Settings | AnalysisConfig | PathLike | None, plan: Plan | None = None) -> Settings:
    """What the Python API accepts as `config`: Settings, an AnalysisConfig, a TOML path, or None."""
    if isinstance(settings, Settings):
        s = settings
    elif isinstance(settings, AnalysisConfig):
        s = Settings(settings, Plan(hold_s=settings.hold.target_s))
    else:
        s = load_settings(settings)
    if plan is not None:
        s = replace(s, plan=plan, analysis=replace(s.analysis, hold=replace(s.analysis.hold, target_s=plan.hold_s)))
    return s
