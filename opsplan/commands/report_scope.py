"""`opsplan report --owner DEPT` and `--select`/`--exclude`: the report narrowed to part of the plan."""

from __future__ import annotations

from opsplan.commands.common import fail
from opsplan.commands.selecting import stop_on_selection
from opsplan.model import Plan
from opsplan.report.model import Report


def narrowed(report: Report, plan: Plan, owner: str | None, expression: str | None,
             exclusion: str | None) -> Report:
    from opsplan.report.scope import narrow, owner_keys, statuses
    from opsplan.select import choose, plan_universe

    scopes: list[str] = []
    keys: frozenset[str] | None = None
    if owner is not None:
        if owner not in plan.departments:
            from opsplan.diagnostics import did_you_mean
            from opsplan.render.escape import text

            hint = did_you_mean(owner, sorted(plan.departments))
            fail(f"--owner: unknown department `{text(owner)}`" + (f"; {hint}" if hint else ""))
        keys = owner_keys(plan, owner)
        scopes.append(f"{plan.departments[owner].name} and its sub-departments")
    if expression is not None or exclusion is not None:
        # The selection's universe (every entity and its relations) is built only for a selection:
        # --owner alone does not need it, and on a plan of 10,000 processes it is 60 MB.
        universe = plan_universe(plan)
        universe.statuses = statuses(report)
        selection = choose(plan, universe, expression, exclusion)
        stop_on_selection(selection.keys, selection.errors, "the plan")
        keys = selection.keys if keys is None else keys & selection.keys
        scopes.append(" ".join(part for part in (f"--select {expression}" if expression else "",
                                                  f"--exclude {exclusion}" if exclusion else "") if part))
    assert keys is not None  # the command narrows only when --owner, --select or --exclude is given
    return narrow(report, plan, keys, "; ".join(scopes))
