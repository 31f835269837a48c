"""Every rule code: a tiny plan that triggers it (at the exact place), and the clean plan that does not."""

from __future__ import annotations

import pytest
from conftest import BASE_PLAN, ROOT_FILE, Link, PlanWriter, check, findings

from opsplan.rules import registry


def mutate(old: str, new: str) -> str:
    assert old in BASE_PLAN, f"test setup: {old!r} not in the base plan"
    return BASE_PLAN.replace(old, new, 1)


def waiver(rule: str, entity: str, expires: str) -> str:
    return (f"waivers:\n  head-later:\n    rule: {rule}\n    entity: {entity}\n    owner: ops\n"
            f"    reason: The new head starts in March\n    expires: {expires}\n")


# code -> (files of the plan, the findings expected, as `file:line:col CODE`)
CASES: dict[str, tuple[dict[str, str | bytes], list[str]]] = {
    "OPS001": ({"plan.yaml": BASE_PLAN, "bad.yaml": "processes:\n  x: [unclosed\n"}, ["bad.yaml:3:1 OPS001"]),
    "OPS002": ({"plan.yaml": BASE_PLAN, "latin1.yaml": "departments:\n  hr: {name: \"R\xe9seau\"}\n".encode("latin-1")},
               ["latin1.yaml:2:16 OPS002"]),
    "OPS003": ({"plan.yaml": mutate("    head: Dana Kim\n", "    head: Dana Kim\n    head: Kim Dana\n")},
               ["plan.yaml:5:5 OPS003"]),
    "OPS004": ({"plan.yaml": BASE_PLAN, "alias.yaml": "x-defaults: &d {type: core}\n"}, ["alias.yaml:1:13 OPS004"]),
    "OPS005": ({"plan.yaml": BASE_PLAN, "list.yaml": "- picking\n- shipping\n"}, ["list.yaml:1:1 OPS005"]),
    "OPS006": ({"plan.yaml": BASE_PLAN, "opsplan.yaml": ROOT_FILE.replace("opsplan: 1", "opsplan: 2")},
               ["opsplan.yaml:1:10 OPS006"]),
    "OPS007": ({"plan.yaml": BASE_PLAN, "deep.yaml": "x-deep: " + "[" * 100 + "]" * 100 + "\n"},
               ["deep.yaml:1:72 OPS007"]),
    "OPS008": ({"plan.yaml": BASE_PLAN, "secrets.yaml": Link("../../outside.yaml")}, ["secrets.yaml:1:1 OPS008"]),
    "OPS101": ({"plan.yaml": mutate("    name: Picking\n", "")}, ["plan.yaml:14:3 OPS101"]),
    "OPS102": ({"plan.yaml": mutate("    name: Picking\n", "    name: Picking\n    onwer: ops\n")},
               ["plan.yaml:16:5 OPS102"]),
    "OPS103": ({"plan.yaml": mutate("    type: initiative\n", "    type: project\n")}, ["plan.yaml:59:11 OPS103"]),
    "OPS104": ({"plan.yaml": mutate("  picking:\n", "  Picking:\n").replace("[picking]", "[Picking]")},
               ["plan.yaml:14:3 OPS104", "plan.yaml:39:77 OPS202"]),
    "OPS105": ({"plan.yaml": mutate("    cycle_time: 4h\n", "    cycle_time: 1:30\n")}, ["plan.yaml:17:17 OPS105"]),
    "OPS201": ({"plan.yaml": BASE_PLAN, "more.yaml": "departments:\n  ops: {name: Ops again, head: Someone}\n"},
               ["plan.yaml:2:3 OPS201"]),
    "OPS202": ({"plan.yaml": mutate("    depends_on: [picking]\n", "    depends_on: [pickng]\n")},
               ["plan.yaml:23:18 OPS202"]),
    "OPS203": ({"plan.yaml": mutate("    cost_center: CC-2\n", "    cost_center: CC-1\n")}, ["plan.yaml:11:18 OPS203"]),
    "OPS204": ({"plan.yaml": mutate("{amount: 99.90, type: capex", "{amount: {amount: 90, currency: GBP}, type: capex")},
               ["plan.yaml:40:51 OPS204"]),
    "OPS301": ({"plan.yaml": mutate("    cost_center: CC-1\n", "    cost_center: CC-1\n    parent: warehouse\n")},
               ["plan.yaml:10:13 OPS301"]),
    "OPS302": ({"plan.yaml": mutate("    cycle_time: 4h\n", "    cycle_time: 4h\n    depends_on: [shipping]\n")},
               ["plan.yaml:24:18 OPS302"]),
    "OPS303": ({"plan.yaml": mutate("    improves: [picking]\n", "    improves: [picking]\n    depends_on: [automation]\n")},
               ["plan.yaml:65:18 OPS303"]),
    "OPS304": ({"plan.yaml": mutate("    owner: ops\n    due: 2029-12-31\n", "    owner: ops\n    parent: cheaper\n    due: 2029-12-31\n")},
               ["plan.yaml:45:13 OPS304", "plan.yaml:46:10 OPS505"]),
    "OPS401": ({"plan.yaml": mutate("        cap: 600\n", "        cap: 600.00\n").replace("amount: 99.90", "amount: 99.91")},
               ["plan.yaml:37:14 OPS401"]),
    "OPS402": ({"plan.yaml": mutate("    total: 1000\n", "    total: 599.99\n")}, ["plan.yaml:34:12 OPS402"]),
    "OPS403": ({"plan.yaml": mutate("    end: 2027-11-30\n", "    end: 2027-01-30\n")}, ["plan.yaml:63:10 OPS403"]),
    "OPS404": ({"plan.yaml": BASE_PLAN, "h2.yaml": "budgets:\n  h2-2027:\n    name: H2\n    start: 2027-07-01\n"
                "    end: 2027-12-31\n    departments:\n      warehouse:\n        lines:\n"
                "          salaries: {amount: 1, type: opex}\n"}, ["plan.yaml:39:11 OPS404"]),
    "OPS405": ({"plan.yaml": mutate("    start: 2027-02-01\n    end: 2027-11-30\n", "    start: 2028-02-01\n    end: 2028-11-30\n")},
               ["plan.yaml:40:57 OPS405"]),
    "OPS406": ({"plan.yaml": mutate("program: automation}", "program: automation, phasing: {2027-03: 90, 2027-09: 9.80}}")},
               ["plan.yaml:40:69 OPS406"]),
    "OPS407": ({"plan.yaml": mutate("program: automation}", "program: automation, phasing: {2027-03: 90, 2028-09: 9.90}}")},
               ["plan.yaml:40:92 OPS407"]),
    "OPS409": ({"plan.yaml": mutate("category: people, process: picking}", "category: people, program: hiring}")},
               ["plan.yaml:65:3 OPS409"]),
    "OPS501": ({"plan.yaml": mutate("    due: 2029-12-31\n", "    due: 2030-12-31\n")}, ["plan.yaml:45:10 OPS501"]),
    "OPS502": ({"plan.yaml": mutate("target: 97", "target: 89")}, ["plan.yaml:27:85 OPS502"]),
    "OPS503": ({"plan.yaml": mutate("{date: 2027-12-31, target: 11.40}", "{date: 2029-01-31, target: 11.40}")},
               ["plan.yaml:55:16 OPS503"]),
    "OPS504": ({"plan.yaml": mutate("{date: 2027-12-31, target: 11.40}", "{date: 2027-12-31, target: 12.00}")},
               ["plan.yaml:55:36 OPS504"]),
    "OPS505": ({"plan.yaml": mutate("    due: 2028-12-31\n", "    due: 2029-12-31\n").replace("due: 2029-12-31\n    measure: {metric",
                                                                                         "due: 2029-06-30\n    measure: {metric")},
               ["plan.yaml:51:10 OPS505"]),
    "OPS506": ({"plan.yaml": mutate("start: 2027-04-01", "start: 2027-10-01")}, ["plan.yaml:72:37 OPS506"]),
    "OPS601": ({"plan.yaml": mutate("    supported_by: [shipping, automation]\n", "")}, ["plan.yaml:42:3 OPS601", "plan.yaml:47:3 OPS601"]),
    "OPS602": ({"plan.yaml": mutate("    kpis:\n      pick-rate: {name: Pick rate, unit: count, better: higher, baseline: 100, target: 120}\n", "")},
               ["plan.yaml:14:3 OPS602"]),
    "OPS603": ({"plan.yaml": mutate("    head: Luis Ortega\n", "")}, ["plan.yaml:7:3 OPS603"]),
    "OPS604": ({"plan.yaml": BASE_PLAN, "legal.yaml": "departments:\n  legal: {name: Legal, parent: ops, head: Sam Ortiz}\n"},
               ["legal.yaml:2:3 OPS604"]),
    "OPS607": ({"plan.yaml": mutate("    cycle_time: 4h\n", "    cycle_time: 4h\n    capacity: {unit: picks, per: week, value: 7000}\n"
                                    "    demand: {per: month, value: 26_000}\n")}, ["plan.yaml:19:13 OPS607"]),
    # Actuals: the bad row is named by file, line and the column where its cell starts.
    "OPS701": ({"plan.yaml": BASE_PLAN, "actuals/q1.csv": "day,metric,val\n2027-01-31,shipping.on-time,94\n"},
               ["actuals/q1.csv:1:1 OPS701"]),
    "OPS702": ({"plan.yaml": BASE_PLAN, "actuals/spend.csv":
                "date,department,line,amount\n2027-01-31,CC-2,salaries,10\n2027-02-28,warehose,salaries,10\n"},
               ["actuals/spend.csv:3:12 OPS702"]),
    "OPS703": ({"plan.yaml": BASE_PLAN, "actuals/kpi.csv": 'date,kpi,value\n2027-01-31,shipping.on-time,"94,5"\n'},
               ["actuals/kpi.csv:2:29 OPS703"]),
    "OPS704": ({"plan.yaml": BASE_PLAN, "actuals/spend.csv":
                "date,department,line,amount,currency\n2027-01-31,warehouse,robots,10,GBP\n"},
               ["actuals/spend.csv:2:32 OPS704"]),
    "OPS705": ({"plan.yaml": BASE_PLAN, "actuals/spend.csv":
                "date,department,line,amount\n2028-01-31,warehouse,salaries,10\n"},
               ["actuals/spend.csv:2:1 OPS705"]),
    "OPS706": ({"plan.yaml": BASE_PLAN, "actuals/kpi.csv": "date,kpi,value\n2027-01-31,shipping.on-time,94\n",
                "actuals/kpi_copy.csv": "date,kpi,value\n2027-01-31,shipping.on-time,94\n"},
               ["actuals/kpi_copy.csv:2:1 OPS706"]),
    # Waivers: judged on the day of the check (today here), after every other rule.
    "OPS801": ({"plan.yaml": BASE_PLAN, "waivers.yaml": waiver("OPS603", "department/warehouse", "2020-01-31")},
               ["waivers.yaml:7:14 OPS801"]),
    "OPS802": ({"plan.yaml": BASE_PLAN, "waivers.yaml": waiver("OPS603", "department/warehouse", "2999-12-31")},
               ["waivers.yaml:2:3 OPS802"]),
    "OPS803": ({"plan.yaml": BASE_PLAN, "waivers.yaml": waiver("OPS202", "department/warehouse", "2999-12-31")},
               ["waivers.yaml:3:11 OPS803"]),
}


def test_the_base_plan_checks_clean(write_plan: PlanWriter) -> None:
    result = check(write_plan({"plan.yaml": BASE_PLAN}))
    assert findings(result) == []
    assert result.plan is not None and len(result.plan.processes) == 2


def test_every_registered_rule_has_a_case() -> None:
    assert sorted(CASES) == sorted(registry())


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_finds_its_mistake_where_it_is(code: str, write_plan: PlanWriter) -> None:
    files, expected = CASES[code]
    result = check(write_plan(files))
    assert findings(result) == expected
    for diagnostic in result.diagnostics:
        assert diagnostic.severity is registry()[code].severity
        assert diagnostic.message


def test_rule_overrides_change_severity_or_silence(write_plan: PlanWriter) -> None:
    files = dict(CASES["OPS603"][0])
    files["opsplan.yaml"] = ROOT_FILE + "rules:\n  OPS603: error\n"
    result = check(write_plan(files))
    assert [(d.code, d.severity.value) for d in result.diagnostics] == [("OPS603", "error")]
    files["opsplan.yaml"] = ROOT_FILE + "rules:\n  OPS603: off\n"
    assert check(write_plan(files)).diagnostics == ()


def test_structural_rules_cannot_be_turned_off(write_plan: PlanWriter) -> None:
    root_file = ROOT_FILE + "rules:\n  OPS302: off\n  OPS60: warning\n"
    result = check(write_plan({"plan.yaml": BASE_PLAN}, root_file=root_file))
    messages = [(d.code, d.message, d.hint) for d in result.diagnostics]
    assert messages == [
        ("OPS103", "rule OPS302 cannot be changed: without it the plan cannot be read reliably", "fix the finding instead"),
        ("OPS103", "unknown rule `OPS60` in `rules`", "did you mean `OPS607`?"),
    ]


def test_cycle_message_prints_the_whole_loop(write_plan: PlanWriter) -> None:
    more = """\
processes:
  packing: {name: Packing, owner: warehouse, depends_on: [labelling], kpis: {k: {name: K, better: higher, target: 1}}}
  labelling: {name: Labelling, owner: warehouse, depends_on: [shipping, packing], kpis: {k: {name: K, better: higher, target: 1}}}
"""
    result = check(write_plan({"plan.yaml": BASE_PLAN, "more.yaml": more}))
    assert [(str(d.location), d.message) for d in result.diagnostics] == [
        ("more.yaml:2:59", "process dependencies form a cycle: labelling -> packing -> labelling")]


def test_dropping_an_invalid_entity_does_not_cascade_into_warnings(write_plan: PlanWriter) -> None:
    # `warehouse` is dropped for its headcount; `ops` must not then look like an idle leaf.
    result = check(write_plan({"plan.yaml": mutate("    headcount: 40\n", "    headcount: forty\n")}))
    assert findings(result) == ["plan.yaml:12:16 OPS103"]


def test_budget_sums_are_exact_to_the_cent_with_fx(write_plan: PlanWriter) -> None:
    # 500.10 + 92.50 EUR * 1.08 (= 99.90 USD) is exactly the cap of 600: no finding.
    plan = mutate("{amount: 99.90, type: capex", "{amount: {amount: 92.50, currency: EUR}, type: capex")
    assert findings(check(write_plan({"plan.yaml": plan}))) == []
    over = plan.replace("amount: 92.50", "amount: 92.51")
    result = check(write_plan({"plan.yaml": over}))
    assert [d.message for d in result.diagnostics] == [
        "lines of department `warehouse` in budget `fy2027` add up to 600.0108 USD, over its cap of 600 USD by 0.0108"]
