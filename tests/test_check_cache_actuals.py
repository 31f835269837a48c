"""`opsplan check --cache` and the actuals: their result is kept whole and taken again only while
the CSV files and the parts of the plan the reader consults are unchanged; whatever changed,
the output is what a check without the cache prints."""

from __future__ import annotations

import pickle
import shutil
from dataclasses import fields, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ACME

from opsplan.check.pipeline import check_path
from opsplan.cli import cli
from opsplan.load import actuals as actuals_module
from opsplan.load import actuals_cache
from opsplan.load.actuals import Actuals
from opsplan.load.actuals_cache import ENTRY_PREFIX, KEPT_ENTRIES, KeptActuals, consulted
from opsplan.load.actuals_records import Reading, RowOrigin, Spend
from opsplan.load.cache import CACHE_FOLDER
from opsplan.model import Kind, Plan


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "plan"
    shutil.copytree(ACME, root, ignore=shutil.ignore_patterns(CACHE_FOLDER))
    return root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each time the CSV files were read, run by run: an entry taken from the cache reads none."""
    calls: list[str] = []
    load = actuals_module.load_actuals

    def counting(folder: Path, *args: Any, **kwargs: Any) -> Any:
        calls.append(folder.name)
        return load(folder, *args, **kwargs)

    monkeypatch.setattr(actuals_module, "load_actuals", counting)
    return calls


def run(*options: str) -> str:
    result = CliRunner().invoke(cli, ["check", "plan", *options])
    assert result.exit_code in (0, 1), result.output
    return result.output


def agrees(*options: str) -> str:
    """The cached check's output, asserted to be the uncached one's."""
    cached = run("--cache", *options)
    assert cached == run(*options)
    return cached


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rows(actuals: Actuals) -> list[tuple[Any, ...]]:
    """Every record with its origin (which records leave out of their equality)."""
    return [(name, record, record.origin) for name in actuals_cache.RECORDS for record in getattr(actuals, name)]


def cached_actuals(plan: Path) -> Actuals:
    result = check_path(plan, cache=True)[1]
    assert result.actuals is not None
    return result.actuals


def uncached_actuals(plan: Path) -> Actuals:
    result = check_path(plan)[1]
    assert result.actuals is not None
    return result.actuals


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_a_warm_check_reads_no_csv_and_says_the_same(plan: Path, reads: list[str], output_format: str) -> None:
    cold = agrees("--format", output_format)
    assert reads == ["actuals", "actuals"]  # the cached run and the uncached one
    reads.clear()
    assert run("--cache", "--format", output_format) == cold
    assert reads == []


def test_a_title_edit_keeps_the_entry(plan: Path, reads: list[str]) -> None:
    agrees()
    edit(plan / "goals.yaml", "title: Raise operating margin", "title: Lift operating margin")
    reads.clear()
    cached = run("--cache")
    assert reads == []
    assert cached == run()
    assert len(list((plan / CACHE_FOLDER).glob(ENTRY_PREFIX + "*"))) == 1


def test_records_taken_from_the_cache_are_the_records_read(plan: Path, reads: list[str]) -> None:
    cold = cached_actuals(plan)
    reads.clear()
    result = check_path(plan, cache=True)[1]
    assert reads == []
    assert isinstance(result.held_actuals, KeptActuals)  # made only when asked for
    assert result.actuals == cold and rows(result.actuals) == rows(cold)
    assert result.actuals is result.actuals
    assert result.files == check_path(plan)[1].files


@pytest.mark.parametrize("change", ["edit", "add", "remove", "rename"])
def test_a_changed_csv_file_gives_new_figures(plan: Path, reads: list[str], change: str) -> None:
    before = cached_actuals(plan)
    folder = plan / "actuals"
    if change == "edit":
        edit(folder / "volume.csv", "2027-01-31,order-fulfillment,371000", "2027-01-31,order-fulfillment,371001")
    elif change == "add":
        (folder / "more.csv").write_text("date,process,volume\n2027-03-31,order-fulfillment,5\n", encoding="utf-8")
    elif change == "remove":
        (folder / "volume.csv").unlink()
    else:
        (folder / "volume.csv").rename(folder / "volumes.csv")
    reads.clear()
    after = cached_actuals(plan)
    assert reads == ["actuals"]
    assert rows(after) == rows(uncached_actuals(plan)) != rows(before)
    assert after.files == uncached_actuals(plan).files
    agrees()


@pytest.mark.parametrize(("file", "old", "new", "shown"), [
    ("finance/fy2027.yaml", "          courier-contracts:", "          courier-contractz:", "courier-contracts"),
    ("org/departments.yaml", "cost_center: CC-220", "cost_center: CC-229", "CC-220"),
    ("ops/processes.yaml", "      order-entry-time:", "      order-entry-secs:", "order-intake.order-entry-time"),
])
def test_a_plan_edit_the_reader_depends_on_reads_the_actuals_again(plan: Path, reads: list[str], file: str,
                                                                 old: str, new: str, shown: str) -> None:
    before = agrees("--show-waived")
    assert f"`{shown}`" not in before
    edit(plan / file, old, new)
    reads.clear()
    after = run("--cache", "--show-waived")
    assert reads == ["actuals"]
    assert after == run("--show-waived")
    assert f"`{shown}`" in after  # the rows naming what is gone are findings now


@pytest.mark.parametrize("damage", ["truncate", "garbage", "forged", "swapped"])
def test_a_damaged_entry_is_read_again(plan: Path, reads: list[str], damage: str) -> None:
    cold = agrees()
    (entry,) = (plan / CACHE_FOLDER).glob(ENTRY_PREFIX + "*")
    data = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        entry.write_bytes(data[:32] + b"\x80\x05not a pickle")
    elif damage == "forged":
        entry.write_bytes(b"\0" * 32 + pickle.dumps(((), [], {})))
    else:  # a good entry of another file under this name: its signature names the other file
        other = next(path for path in (plan / CACHE_FOLDER).iterdir() if path != entry)
        entry.write_bytes(other.read_bytes())
    reads.clear()
    assert run("--cache") == cold
    assert reads == ["actuals"]
    reads.clear()
    assert run("--cache") == cold  # written again, and good
    assert reads == []


def test_a_file_changed_while_it_is_read_is_not_kept(plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load = actuals_module.load_actuals
    volume = plan / "actuals" / "volume.csv"

    def changing(*args: Any, **kwargs: Any) -> Any:
        result = load(*args, **kwargs)
        edit(volume, "371000", "371001")  # after it was read, before it would be kept
        return result

    monkeypatch.setattr(actuals_module, "load_actuals", changing)
    run("--cache")
    assert not list((plan / CACHE_FOLDER).glob(ENTRY_PREFIX + "*"))


def test_only_the_newest_entries_are_kept(plan: Path) -> None:
    volume = plan / "actuals" / "volume.csv"
    for turn in range(KEPT_ENTRIES + 2):
        volume.write_text(f"date,process,volume\n2027-01-31,order-fulfillment,{turn}\n", encoding="utf-8")
        check_path(plan, cache=True)
    assert len(list((plan / CACHE_FOLDER).glob(ENTRY_PREFIX + "*"))) == KEPT_ENTRIES
    assert rows(cached_actuals(plan)) == rows(uncached_actuals(plan))


def test_columns_keep_every_value_exactly() -> None:
    origin = RowOrigin("actuals/x.csv", 2)
    spend = [Spend(date(2027, 1, 31), "fy2027", "ops", "fuel", Decimal(text), RowOrigin("actuals/x.csv", line))
             for line, text in enumerate(["1.50", "1E+3", "-0", "0.000001", "123456789012345.12", "NaN"], 2)]
    # Equal values of other types or spellings must not be merged by the table of distinct values.
    odd = [Reading(date(2027, 1, 31), "a.b", Decimal("1"), origin),
           Reading(datetime(2027, 1, 31), "a.b", Decimal("1.0"), origin),  # type: ignore[arg-type]
           Reading(date(2027, 1, 31), 1, 1, origin),  # type: ignore[arg-type]
           Reading(date(2027, 1, 31), True, 2**70, origin)]  # type: ignore[arg-type]
    for records in (spend, odd, []):
        columns = actuals_cache._columns(records)
        made = actuals_cache._records(type(records[0]) if records else Spend, pickle.loads(pickle.dumps(columns)))
        assert [(repr(record), type(value)) for record in made for value in _values(record)] == \
            [(repr(record), type(value)) for record in records for value in _values(record)]
        assert [record.origin for record in made] == [record.origin for record in records]


def _values(record: Any) -> list[Any]:
    return [getattr(record, field.name) for field in fields(record)]


def test_every_field_of_the_actuals_is_kept() -> None:
    assert actuals_cache._layout_known()


def _plan() -> Plan:
    result = check_path(ACME)[1]
    assert result.plan is not None
    return result.plan


def _first(mapping: Any) -> tuple[str, Any]:
    return next(iter(mapping.items()))


def test_the_digest_of_the_plan_holds_what_the_reader_consults() -> None:
    plan = _plan()
    base = consulted(plan)
    goal_id, goal = _first(plan.goals)
    budget_id, budget = _first(plan.budgets)
    allocation = budget.departments[0]
    line = allocation.lines[0]
    department_id, department = _first(plan.departments)
    program_id, program = next((key, value) for key, value in plan.programs.items() if value.roles)
    process_id, process = next((key, value) for key, value in plan.processes.items() if value.kpis)

    def with_goal(changed: Any) -> Plan:
        return replace(plan, goals={**plan.goals, goal_id: changed})

    def with_line(changed: Any) -> Plan:
        lines = (changed, *allocation.lines[1:])
        budget_changed = replace(budget, departments=(replace(allocation, lines=lines), *budget.departments[1:]))
        return replace(plan, budgets={**plan.budgets, budget_id: budget_changed})

    # What the reader does not look at keeps the digest, and with it the entry.
    assert consulted(with_goal(replace(goal, title="Another title"))) == base
    assert consulted(with_line(replace(line, description="another"))) == base
    assert consulted(replace(plan, departments={**plan.departments, department_id: replace(department, name="X")})) == base
    changed = [
        with_goal(replace(goal, measure=replace(goal.measure, kpi="other.kpi"))),
        with_line(replace(line, id="renamed")),
        with_line(replace(line, account="9999")),
        with_line(replace(line, department="elsewhere")),
        replace(plan, budgets={**plan.budgets, budget_id: replace(budget, end=date(2099, 1, 1))}),
        replace(plan, departments={**plan.departments, department_id: replace(department, cost_center="CC-X")}),
        replace(plan, programs={**plan.programs, program_id: replace(program, roles=program.roles[1:])}),
        replace(plan, processes={**plan.processes, process_id: replace(process, kpis=process.kpis[1:])}),
        replace(plan, processes={key: value for key, value in plan.processes.items() if key != process_id}),
        replace(plan, settings=replace(plan.settings, fx={**plan.settings.fx, "XYZ": Decimal("2")})),
        replace(plan, invalid_ids={Kind.GOAL: frozenset({"gone"})}),
    ]
    assert all(consulted(other) != base for other in changed)
