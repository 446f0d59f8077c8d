"""`cockpit validate`: the shipped catalog passes; a broken one lists every problem with its line."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cockpit.cli import app
from indicators.model import Domain, Kind
from indicators.registry import DEFAULT_CATALOG, load_catalog

runner = CliRunner()
BROKEN = Path(__file__).parent / "fixtures" / "broken_catalog"
B = "tests/fixtures/broken_catalog"


def test_shipped_catalog_is_valid_and_large_enough() -> None:
    result = load_catalog(DEFAULT_CATALOG)
    assert [str(p) for p in result.problems] == []
    catalog = result.catalog
    assert len(catalog) >= 150
    per_domain = Counter(ind.domain for ind in catalog)
    assert set(per_domain) == set(Domain)
    assert min(per_domain.values()) >= 25
    assert {ind.kind for ind in catalog} == set(Kind)


def test_shipped_definitions_are_real_and_distinct() -> None:
    catalog = load_catalog(DEFAULT_CATALOG).catalog
    definitions = [ind.definition.strip() for ind in catalog]
    assert len(set(definitions)) == len(definitions)
    for ind in catalog:
        assert len(ind.definition.strip()) >= 20, ind.code
        assert not any(
            word in ind.definition for word in ("TODO", "待补充", "placeholder", "测试用")
        ), ind.code


def test_validate_prints_a_summary_and_exits_zero() -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert "catalog OK" in result.output
    assert "经济运行" in result.output and "数字基础设施" in result.output


def test_broken_catalog_lists_every_problem_with_file_and_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(BROKEN.parents[2])
    result = runner.invoke(app, ["validate", "--catalog", B])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(B)]
    assert lines == [
        f"{B}/a_economic.yaml:24: B_BAD_FIELDS: frequency: Input should be 'day', 'month', 'quarter' or 'year'",
        f"{B}/a_economic.yaml:30: B_BAD_FIELDS: colour: unknown field",
        f"{B}/a_economic.yaml:31: B_NO_DEN: denominator: required for kind ratio",
        f"{B}/a_economic.yaml:54: B_UNKNOWN_REF: formula: unknown indicator 'B_MISSING'",
        f"{B}/a_economic.yaml:68: B_UNSAFE: formula: attribute access is not allowed",
        f"{B}/a_economic.yaml:82: B_DIV_ZERO: formula: division by zero in 'B_BASE / 0'",
        f"{B}/a_economic.yaml:115: B_CYCLE_Z: inputs: cycle B_CYCLE_Z -> B_CYCLE_X -> B_CYCLE_Y -> B_CYCLE_Z",
        f"{B}/a_economic.yaml:138: B_WEIGHTS: children: weights sum to 0.9, not 1",
        f"{B}/a_economic.yaml:147: B_TOPIC: topic: 'prices' is not declared in topics (declared: output)",
        f"{B}/a_economic.yaml:153: B_TOPIC: rag.rule: schedule (序时进度) needs an annual_total target",
        f"{B}/b_service.yaml:5: B_DUPLICATE: code: duplicate code, first declared at {B}/a_economic.yaml:157",
        f"{B}/c_ecology.yaml:4: -: yaml: syntax error: expected ',' or '}}', but got ':'",
    ]
    assert "12 problem(s)" in result.output


def test_missing_catalog_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "--catalog", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "missing areas file" in result.output
    assert "not a directory" in result.output


def test_other_commands_refuse_a_broken_catalog() -> None:
    result = runner.invoke(app, ["show", "B_BASE", "--catalog", str(BROKEN)])
    assert result.exit_code == 2
    assert result.output.strip().endswith("run `cockpit validate`")


def test_validate_json_reports_counts_and_problems() -> None:
    result = runner.invoke(app, ["validate", "--format", "json"])
    assert result.exit_code == 0
    summary = json.loads(result.output)
    catalog = load_catalog(DEFAULT_CATALOG).catalog
    assert summary["indicators"] == len(catalog)
    assert sum(sum(kinds.values()) for kinds in summary["by_domain_and_kind"].values()) == len(
        catalog
    )
    assert summary["problems"] == []
    broken = runner.invoke(app, ["validate", "--catalog", str(BROKEN), "--format", "json"])
    assert broken.exit_code == 1
    problems = json.loads(broken.stdout)["problems"]
    assert len(problems) == 12
    assert {"file", "line", "code", "field", "message"} == set(problems[0])
