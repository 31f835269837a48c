"""The strict loader: YAML's traps are closed, hostile files fail fast with a finding, and no input
ever raises."""

from __future__ import annotations

import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ACME
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsplan.check.pipeline import check_path
from opsplan.load.source import MarkedMap
from opsplan.load.strict_yaml import decode, parse_document, parse_scalar

YAML_TEST_SUITE = Path(__file__).resolve().parents[2] / "shared" / "yaml-test-suite"


def parse(text: str) -> tuple[object, list[str]]:
    root, diagnostics = parse_document("f.yaml", text)
    return root, [f"{d.location.line}:{d.location.column} {d.code} {d.message}" for d in diagnostics]


@pytest.mark.parametrize(("text", "value"), [
    ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"),
    ("true", True), ("false", False), ("~", None), ("null", None),
    ("42", 42), ("2_400_000", 2400000), ("-7", -7),
    ("12.40", Decimal("12.40")), ("0.1", Decimal("0.1")), ("1e3", Decimal("1e3")),
    ("1:30", "1:30"), ("2027-03-31", "2027-03-31"), ("2027-03-31T10:00:00", "2027-03-31T10:00:00"),
    ("0x1F", "0x1F"), ("0o17", "0o17"), ("017", "017"), (".inf", ".inf"), (".nan", ".nan"), ("+", "+"),
])
def test_plain_scalars_are_typed_by_the_plan_format_not_yaml_1_1(text: str, value: object) -> None:
    assert parse_scalar(text) == value
    assert type(parse_scalar(text)) is type(value)


def test_decimals_keep_their_source_text_exactly() -> None:
    root, _ = parse("a: 0.10\nb: 1250.50\nc: '3.3'\n")
    assert isinstance(root, MarkedMap)
    assert str(root["a"]) == "0.10" and str(root["b"]) == "1250.50" and root["c"] == "3.3"


def test_every_key_and_value_knows_its_line_and_column() -> None:
    root, _ = parse("processes:\n  picking:\n    name: Picking\n    tags: [a, b]\n")
    assert isinstance(root, MarkedMap)
    picking = root["processes"]["picking"]
    assert picking.mark("name") == (3, 5, 3, 11)
    assert [picking["tags"].mark(index) for index in range(2)] == [(4, 12), (4, 15)]


@pytest.mark.parametrize(("text", "expected"), [
    ("a: 1\na: 2\n", "2:1 OPS003 duplicate key `a` (first defined at line 1)"),
    ("a: &x 1\n", "1:4 OPS004 anchors are not allowed (`&x`)"),
    ("a: *x\n", "1:4 OPS004 aliases are not allowed (`*x`)"),
    ("a: !!str 1\n", "1:4 OPS004 tags are not allowed (`tag:yaml.org,2002:str`)"),
    ("a: !custom {b: 1}\n", "1:4 OPS004 tags are not allowed (`!custom`)"),
    ("a:\n  <<: {b: 1}\n", "2:3 OPS004 merge keys (`<<`) are not allowed"),
    ("a: 1\n---\nb: 2\n", "2:1 OPS005 a plan file holds one YAML document; found a second `---`"),
    ("- a\n", "1:1 OPS005 the top level of a plan file must be a mapping of kinds, not a list"),
    ("just text\n", "1:1 OPS005 the top level of a plan file must be a mapping of kinds, not a single value"),
    ("? [a, b]\n: 1\n", "1:3 OPS103 a mapping key must be plain text, not a list or mapping"),
    ("a:\n\tb: 1\n", "2:1 OPS001 YAML syntax error: found character that cannot start any token "
     "(while scanning for the next token)"),
    ("a: [1, 2\n", "2:1 OPS001 YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence)"),
    ("a: \x07\n", "1:4 OPS001 YAML syntax error: a control character (U+0007) is not allowed in YAML"),
])
def test_yaml_traps_and_mistakes_become_findings(text: str, expected: str) -> None:
    _, found = parse(text)
    assert found == [expected]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "~\n"])
def test_empty_files_declare_nothing(text: str) -> None:
    assert parse(text) == (None, [])


def test_billion_laughs_fails_at_the_first_anchor_in_milliseconds() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 30)]
    started = time.perf_counter()
    _, found = parse("\n".join(lines) + "\n")
    elapsed = time.perf_counter() - started
    assert found == ["1:5 OPS004 anchors are not allowed (`&a0`)"]
    assert elapsed < 1.0  # generous: the point is that nothing was expanded


@pytest.mark.parametrize(("depth", "where"), [(100, "1:67"), (100_000, "1:1003")])
def test_deep_nesting_is_refused_before_it_hurts(depth: int, where: str) -> None:
    _, found = parse("a: " + "[" * depth + "]" * depth + "\n")
    assert found == [f"{where} OPS007 nesting deeper than 64 levels"]


def test_utf8_bom_is_tolerated_other_encodings_are_not() -> None:
    assert decode("f.yaml", b"\xef\xbb\xbfa: 1\n") == ("a: 1\n", [])
    text, found = decode("f.yaml", "a: 1\n".encode("utf-16"))
    assert text is None and [d.code for d in found] == ["OPS002"]
    text, found = decode("f.yaml", b"a: 1\nb: caf\xe9\n")
    assert text is None and [(d.code, d.location.line, d.location.column) for d in found] == [("OPS002", 2, 7)]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=400))
def test_the_loader_never_raises_on_arbitrary_bytes(raw: bytes) -> None:
    text, found = decode("f.yaml", raw)
    if text is not None:
        root, found = parse_document("f.yaml", text)
        assert root is None or isinstance(root, MarkedMap)
    assert all(d.code.startswith("OPS") and d.location.line >= 1 for d in found)


yaml_ish = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12),
              st.sampled_from(["yes", "no", "1:30", "&a x", "*a", "!!int 3", "<<", "2027-01-01", "- a", "{a: 1}"])),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=6), children, max_size=4)),
    max_leaves=20,
)


def _emit(value: object, indent: int = 0) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        return "".join(f"{pad}{k!s}:\n{_emit(v, indent + 2)}" if isinstance(v, (dict, list)) and v
                       else f"{pad}{k!s}: {v!s}\n" for k, v in value.items()) or f"{pad}{{}}\n"
    if isinstance(value, list):
        return "".join(f"{pad}-\n{_emit(v, indent + 2)}" if isinstance(v, (dict, list)) and v
                       else f"{pad}- {v!s}\n" for v in value) or f"{pad}[]\n"
    return f"{pad}{value!s}\n"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(yaml_ish)
def test_the_loader_never_raises_on_arbitrary_yaml(value: object) -> None:
    root, found = parse_document("f.yaml", _emit(value))
    assert root is None or isinstance(root, MarkedMap)
    assert all(d.location.line >= 1 and d.location.column >= 1 for d in found)


def _suite_cases() -> list[Path]:
    if not YAML_TEST_SUITE.is_dir():
        return []
    return sorted(YAML_TEST_SUITE.rglob("in.yaml"))


@pytest.mark.skipif(not YAML_TEST_SUITE.is_dir(), reason="the YAML test suite is not beside the checkout")
def test_every_case_of_the_yaml_test_suite_loads_or_gives_a_finding() -> None:
    cases = _suite_cases()
    assert len(cases) >= 400
    outcomes = {"loaded": 0, "finding": 0}
    accepted_invalid: list[str] = []
    for case in cases:
        text, found = decode(case.name, case.read_bytes())
        if text is not None:
            root, found = parse_document(case.name, text)
        if found:
            assert all(d.code[:4] == "OPS0" or d.code == "OPS103" for d in found), case
            outcomes["finding"] += 1
        else:
            outcomes["loaded"] += 1
            assert root is None or isinstance(root, MarkedMap), case
        if (case.parent / "error").exists() and not found:
            accepted_invalid.append(case.parent.relative_to(YAML_TEST_SUITE).as_posix())
    assert outcomes["loaded"] > 50 and outcomes["finding"] > 100
    # libyaml is lenient on these few invalid inputs (comment and indentation corner cases);
    # what it reads from them is still a well-formed document. Any other invalid case must fail.
    assert accepted_invalid == ["9C9N", "DK95/01", "MUS6/00", "QB6E", "S98Z", "SU5Z", "X4QW"]


def test_a_plans_kpis_are_made_once_and_read_only_and_a_replaced_plan_makes_its_own() -> None:
    plan = check_path(ACME)[1].plan
    assert plan is not None
    kpis = plan.kpis
    assert kpis is plan.kpis  # a report asks for them once per goal
    assert dict(kpis) == {kpi.ref: kpi for process in plan.processes.values() for kpi in process.kpis}
    with pytest.raises(TypeError):
        kpis["x.y"] = next(iter(kpis.values()))  # type: ignore[index]
    first = next(iter(plan.processes))
    fewer = replace(plan, processes={key: process for key, process in plan.processes.items() if key != first})
    assert set(fewer.kpis) == {ref for ref, kpi in kpis.items() if kpi.process != first} != set(kpis)
