"""Programs: hiring roles are hired while their program runs."""

from __future__ import annotations

from collections.abc import Iterator

from opsplan.diagnostics import Diagnostic, Severity
from opsplan.model import Plan
from opsplan.rules.codes import rule


@rule("OPS506", "role-outside-program", Severity.ERROR,
      "a hiring role starts, or is to be hired by, outside its program's window",
      rationale="A role planned to start before its program begins or after it ends is hired by no "
      "one; planned headcount would count people nobody recruits.",
      bad="hiring-2027:\n  type: hiring\n  start: 2027-03-01\n  end: 2027-09-30\n"
      "  roles:\n    associate: {count: 12, start: 2027-11-01}\n",
      good="hiring-2027:\n  type: hiring\n  start: 2027-03-01\n  end: 2027-09-30\n"
      "  roles:\n    associate: {count: 12, start: 2027-04-01}\n")
def role_outside_program(plan: Plan) -> Iterator[Diagnostic]:
    for program in plan.programs.values():
        for role in program.roles:
            if not program.start <= role.start <= program.end:
                yield role_outside_program.finding(f"role `{role.id}` of program `{program.id}` starts {role.start}, outside the program's "
                    f"window {program.start} to {program.end}",
                    role.origin.at("start"), hint="move the role's start into the window, or widen the program")
            elif role.by is not None and role.by > program.end:
                yield role_outside_program.finding(
                    f"role `{role.id}` of program `{program.id}` is to be hired by {role.by}, after the "
                    f"program ends on {program.end}",
                    role.origin.at("by"), hint="move `by` into the window, or widen the program")
