"""The rule registry: every code opsplan reports, declared once, sorted by code.

Codes are numbered by the stage that finds them:

- OPS0xx parse: a file cannot be read as a plan file (YAML syntax, encoding, duplicate keys,
  anchors and tags, safety limits, links out of the plan); raised by :mod:`opsplan.load.source`
  and :mod:`opsplan.load.strict_yaml`.
- OPS1xx shape: a field is missing, unknown, of the wrong type or value; raised by
  :mod:`opsplan.load.schema` and :mod:`opsplan.load.build`.
- OPS2xx references: ids are unique and every id named exists (:mod:`.references`; duplicate
  ids and fx rates are found while building the model).
- OPS3xx cycles: departments, processes, programs and goals form no loops (:mod:`.cycles`).
- OPS4xx budgets: caps, totals, periods, double funding (:mod:`.budgets`).
- OPS5xx goals and programs: horizons, targets, milestones, roles (:mod:`.goals`, :mod:`.programs`).
- OPS6xx hygiene: what a complete plan has (:mod:`.hygiene`); warnings by default.
- OPS7xx actuals: the CSV and Parquet files under `actuals/`; raised by :mod:`opsplan.load.actuals`.
- OPS8xx waivers: expired, unused or unwaivable (:mod:`.waivers`); raised by the check stage
  that applies them, :mod:`opsplan.check.waivers`.

The rules the loading stages raise are declared in :mod:`.codes`, which the loader imports
without the checks; a module per area declares the rest with its check. Importing this package
declares nothing by itself: :func:`registry` imports the area modules on first use.
"""

from __future__ import annotations

from functools import cache

from opsplan.rules.codes import DECLARED, Rule

_AREAS = ("references", "cycles", "budgets", "phasing", "workforce", "goals", "programs", "capacity", "hygiene",
          "waivers")


@cache
def registry() -> dict[str, Rule]:
    """Every rule by code, in code order: what `opsplan explain` and docs/rules.md list."""
    from importlib import import_module

    for area in _AREAS:
        import_module(f"opsplan.rules.{area}")
    return dict(sorted(DECLARED.items()))


def semantic_rules() -> list[Rule]:
    """The rules that run on a built plan, in code order."""
    return [rule for rule in registry().values() if rule.check is not None]
