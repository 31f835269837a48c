"""The fast validator says "valid" exactly when jsonschema finds no error, on real plan files
and on generated near-miss documents, so skipping jsonschema for valid files changes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from conftest import ACME, BASE_PLAN, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsplan.load.fastschema import SchemaCompiler
from opsplan.load.schema import _validator, load_schema
from opsplan.load.strict_yaml import parse_document

SCHEMAS = ("plan.schema.json", "opsplan.schema.json")


def agree(name: str, document: Any) -> None:
    fast = SchemaCompiler(load_schema).compile(name)(document)
    slow = not any(True for _ in _validator(name).iter_errors(document))
    assert fast == slow, f"fast validator says {fast}, jsonschema says {slow} for {document!r}"


def _documents() -> list[tuple[str, Any]]:
    found = []
    for folder in (ACME, REPO / "tests" / "fixtures"):
        for path in sorted(folder.rglob("*.yaml")):
            root, _ = parse_document(path.name, path.read_text(encoding="utf-8", errors="replace"))
            found.append(("opsplan.schema.json" if path.name == "opsplan.yaml" else "plan.schema.json", root))
    found.append(("plan.schema.json", parse_document("plan.yaml", BASE_PLAN)[0]))
    return found


@pytest.mark.parametrize(("name", "document"), _documents())
def test_agrees_with_jsonschema_on_real_plan_files(name: str, document: Any) -> None:
    agree(name, document)


FIELDS = ["name", "owner", "type", "depends_on", "serves", "cycle_time", "kpis", "better", "target", "baseline",
          "unit", "parent", "head", "headcount", "cost_center", "start", "end", "total", "departments", "lines",
          "amount", "cap", "currency", "measure", "kpi", "metric", "milestones", "date", "due", "roles", "count",
          "audience", "participants", "completion_target", "tags", "links", "x-note", "onwer", "organization",
          "horizon", "fx", "rules", "opsplan", "exclude", "EUR", "OPS602"]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 200), st.decimals(-5, 500, places=2, allow_nan=False),
    st.sampled_from(["core", "support", "higher", "lower", "opex", "capex", "hiring", "training", "initiative",
                     "2027-01-01", "2027-13-01", "2027-01-01T10:00", "4h", "1:30", "3w", "ops", "Bad Id", "USD",
                     "usd", "1250.50", "12_000", "off", "warning", "", "a.b", "x" * 70]),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.sampled_from([*FIELDS, "ops", "picking", "Bad Id"]), children,
                                               max_size=5)),
    max_leaves=25,
)
kinds = st.dictionaries(
    st.sampled_from(["departments", "processes", "budgets", "goals", "programs", "x-extra", "proceses"]),
    st.one_of(st.none(), st.dictionaries(st.sampled_from(["ops", "picking", "fy2027", "Bad Id"]), documents, max_size=3)),
    max_size=3,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=kinds, root_extra=st.dictionaries(st.sampled_from(FIELDS), documents, max_size=4))
def test_agrees_with_jsonschema_on_generated_documents(document: dict[str, Any], root_extra: dict[str, Any]) -> None:
    agree("plan.schema.json", document)
    agree("opsplan.schema.json", {**document, **root_extra})


def test_decimals_and_integers_are_typed_as_jsonschema_types_them() -> None:
    for value in (Decimal("1.5"), Decimal("12"), 12, True, "12"):
        agree("plan.schema.json", {"departments": {"ops": {"name": "Ops", "headcount": value}}})


def _explained(document: Any, narrowed: bool, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from opsplan.load import schema
    from opsplan.load.source import Document

    if not narrowed:
        monkeypatch.setattr(schema, "_failing_entities", lambda root: root)
    found, invalid = schema.validate_document(Document("plan.yaml", document), [])
    monkeypatch.undo()
    return [*(f"{d.location}: {d.code} {d.message} ({d.hint})" for d in found), *sorted(map(repr, invalid))]


@pytest.mark.parametrize(("name", "document"), [item for item in _documents() if item[0] == "plan.schema.json"])
def test_explaining_only_the_failing_entities_says_the_same(name: str, document: Any,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Errors are explained from the entities that failed the fast check alone: the same
    findings, in the same order, as explaining the whole file."""
    assert _explained(document, True, monkeypatch) == _explained(document, False, monkeypatch)


def test_one_bad_entity_among_many_is_explained_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    processes = "".join(f"  p{index}:\n    name: Process {index}\n    owner: ops\n" for index in range(50))
    text = f"processes:\n{processes}  bad:\n    name: 7\n    owner: ops\n    colour: red\n"
    document, _ = parse_document("plan.yaml", text)
    whole = _explained(document, False, monkeypatch)
    assert whole == _explained(document, True, monkeypatch)
    assert whole and all("bad" in line for line in whole)
