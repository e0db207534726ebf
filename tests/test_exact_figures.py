"""Exact texts and figures users read, one rule at a time (issue 13's mutation run: each test here
kills mutants that the solver tests cannot see, because they change what is *said*, not what is
*chosen*).

`planner.rules.attainment.gaps` says why an office is not attained, in English (`plan verify`, the
terminal) and Chinese (reports, the workbook, the Word draft); every phrase below is worked out by
hand from docs/reference.md §4 and the shipped standards (docs/standards.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from handplan import load, writer_plan
from test_exact_plans import BOUNDS
from test_rules import scenario

import planner.plan
from planner.errors import ScenarioError
from planner.i18n import set_lang
from planner.io.loading import BudgetEntry, LoadedScenario, QuotaEntry, load_standard_file
from planner.io.scenario import Office
from planner.io.standards import SizeThreshold, builtin_path
from planner.plan import Action
from planner.rules.actions import lead_years, spec
from planner.rules.attainment import OfficeState, gaps, initial_state, unmet
from planner.rules.classify import Classification, classify_office, size_class
from planner.rules.requirements import UNLIMITED, Requirements, limit_amount, with_amount, with_limit
from planner.rules.targets import scope_zh
from planner.rules.verify import PlanRefused, check_plan_file, read_plan_for_verify

JIANGSU = load_standard_file(builtin_path("jiangsu-2021"), "jiangsu-2021")
LIANYUNGANG = load_standard_file(builtin_path("lianyungang-2019"), "lianyungang-2019")
SMALL_ROOMS = {"public_legal_service_center", "mediation_committee", "governance_room", "publicity_room",
               "enforcement_management_room", "five_stations"}


def township(**fields: object) -> Office:
    base = {"id": "A", "name": "甲镇", "county": "甲县", "kind": "township", "tier": "small"}
    return Office.model_validate({**base, **fields})


def test_every_gap_of_a_small_jiangsu_office_is_said_in_both_languages() -> None:
    # Small tier, township: posts ≥ 2, mediators ≥ 2, 4 in all, 200 m², five room items, one of
    # them any_of [governance_room + publicity_room] | [rule_of_law_room]; correction_sw ≥
    # ceil(31 / 15) = 3 in 2022. The state: 1 post, 1 correction worker (posts 1 < 2, mediators
    # 0 < 2, correction_sw 1 < 3, 2 of 4 in all), 150 m², only publicity_room of the any_of pair
    # and no five_stations.
    office = township(caseload={"correction_subjects": {2022: 31, 2023: 30}})
    state = OfficeState({"posts": 1, "correction_sw": 1}, 150,
                        SMALL_ROOMS - {"governance_room", "five_stations"})
    found = gaps(JIANGSU, "small", office, 2022, state)
    assert [g.text for g in found] == [
        "posts 1 < 2", "mediators 0 < 2", "correction_sw 1 < 3", "total staff 2 < 4", "floor area 150 < 200 m²",
        "room: one of governance_room+publicity_room | rule_of_law_room", "room five_stations"]
    assert [g.text_zh for g in found] == [
        "政法专项编制人员 1 人，需 2 人", "专职人民调解员 0 人，需 2 人",
        "专职社区矫正社会工作者（警辅） 1 人，需 3 人",
        "总人数 2 人，需 4 人", "业务用房 150 m²，需 200 m²",
        "缺功能室：依法治理室+法治宣传室 或 法治建设室", "缺功能室：五站点服务区"]
    assert unmet(JIANGSU, "small", office, 2022, state) == [g.text for g in found]
    assert unmet(JIANGSU, "small", office, 2022, state)


def test_an_office_that_meets_every_requirement_has_no_gap() -> None:
    # 30 subjects in 2023 need ceil(30 / 15) = 2 correction workers: the state has them.
    office = township(caseload={"correction_subjects": {2022: 31, 2023: 30}},
                      staff={"posts": 2, "mediators": 2, "correction_sw": 2}, floor_area_m2=200,
                      facilities=sorted(SMALL_ROOMS))
    state = initial_state(office)
    assert (state.staff, state.floor_area_m2, state.facilities) == (
        {"posts": 2, "mediators": 2, "correction_sw": 2}, 200, SMALL_ROOMS)
    assert gaps(JIANGSU, "small", office, 2023, state) == []
    assert not unmet(JIANGSU, "small", office, 2023, state)
    # The same state in 2022 (31 subjects) lacks one correction worker, and says so.
    assert unmet(JIANGSU, "small", office, 2022, state) == ["correction_sw 2 < 3"]
    assert unmet(JIANGSU, "small", office, 2022, state)
    # initial_state copies: adding to the state leaves the office as it was.
    state.staff["posts"] += 1
    state.facilities.add("rule_of_law_room")
    assert office.staff["posts"] == 2 and "rule_of_law_room" not in office.facilities


def test_the_rule_of_law_room_alone_meets_the_any_of_item() -> None:
    office = township(staff={"posts": 2, "mediators": 2}, floor_area_m2=200)
    rooms = (SMALL_ROOMS - {"governance_room", "publicity_room"}) | {"rule_of_law_room"}
    assert gaps(JIANGSU, "small", office, 2022, OfficeState({"posts": 2, "mediators": 2}, 200, rooms)) == []


def test_a_condition_fails_below_its_threshold_or_when_missing() -> None:
    # lianyungang-2019 small: posts 2, assistants 2, 200 m² (township), score ≥ 80.
    state = OfficeState({"posts": 2, "assistants": 2}, 200)
    below = gaps(LIANYUNGANG, "small", township(attributes={"score": 79.5}), 2022, state)
    assert [(g.text, g.text_zh) for g in below] == [("condition score 79.5 < 80", "条件 score 为 79.5，需 ≥ 80")]
    missing = gaps(LIANYUNGANG, "small", township(), 2022, state)
    assert [(g.text, g.text_zh) for g in missing] == [("condition score missing < 80", "条件 score 为 缺失，需 ≥ 80")]
    assert gaps(LIANYUNGANG, "small", township(attributes={"score": 80}), 2022, state) == []


# ------------------------------------------------------------------ classification (docs/reference.md §3)


def test_a_classification_states_every_fact_it_rests_on() -> None:
    # 60,000 people (medium-size), rank 3 of 3 (low), demand high: small; its facts as computed.
    c = classify_office(township(tier=None, population=60_000, area_km2=5, gdp_rank=3, demand="high"), JIANGSU, 3)
    assert c == Classification("A", "small", "medium-size", "low", "high", False,
                                "small: population 60,000, area 5 km² (medium-size); GDP rank 3/3 (low); demand high",
                                "小型：常住人口 60,000，面积 5 km²（规模中）；GDP 县内第3/3（靠后）；法治需求量大")
    # An override keeps the same facts, and says it was set by hand, in each language.
    c = classify_office(township(tier="large", population=60_000, area_km2=5, gdp_rank=3, demand="high"), JIANGSU, 3)
    assert c == Classification(
        "A", "large", "medium-size", "low", "high", True,
        "large: set in the scenario (override); computed facts: population 60,000, area 5 km² (medium-size); "
        "GDP rank 3/3 (low); demand high",
        "大型：情景文件指定；测算依据：常住人口 60,000，面积 5 km²（规模中）；GDP 县内第3/3（靠后）；法治需求量大")


def test_missing_facts_are_said_plainly() -> None:
    c = classify_office(township(tier=None), JIANGSU, 1)
    assert c == Classification(
        "A", "small", "small-size", None, None, False,
        "small: population missing (size by area only), area ? km² (small-size); GDP rank missing (treated as met); "
        "demand missing (treated as met)",
        "小型：常住人口缺失（仅按面积判断规模），面积 ? km²（规模小）；"
        "GDP 排名缺失（视为满足）；法治需求缺失（视为满足）")


def test_a_missing_population_or_area_counts_as_nothing_even_at_a_zero_threshold() -> None:
    # A standard whose medium size starts at 1 person or above 0.5 km²: an office whose population
    # and area are unknown is still small-size (a missing figure is not 1 person, nor 1 km²).
    low = JIANGSU.model_copy(update={"classification": JIANGSU.classification.model_copy(update={"size": {
        "large": SizeThreshold(min_population=10**6, min_area_km2_exclusive=10**4),
        "medium": SizeThreshold(min_population=1, min_area_km2_exclusive=0.5)}})})
    assert size_class(township(), low) == "small-size"
    assert size_class(township(population=1), low) == "medium-size"
    assert size_class(township(area_km2=0.6), low) == "medium-size"


def test_scope_names_in_chinese() -> None:
    assert (scope_zh("all"), scope_zh("甲县"), scope_zh("泰州市")) == ("全市", "甲县", "泰州市")


# ------------------------------------------------------------------ limits changed one at a time


def test_one_limit_changes_and_no_other() -> None:
    budgets = (BudgetEntry("all", 2022, 100), BudgetEntry("甲县", 2022, 50))
    quotas = (QuotaEntry("posts", "all", 2022, 2), QuotaEntry("posts", "甲县", 2022, 1))
    req = Requirements("r", (2022,), ("posts",), (None,), {}, None, None, 0, (), budgets, quotas, (), False)
    assert (limit_amount(budgets[1]), limit_amount(quotas[1])) == (50, 1)
    assert (with_amount(budgets[1], 7), with_amount(quotas[1], 3)) == (
        BudgetEntry("甲县", 2022, 7), QuotaEntry("posts", "甲县", 2022, 3))
    lifted = with_limit(req, budgets[1], UNLIMITED)
    assert (lifted.budgets, lifted.quotas) == ((budgets[0], BudgetEntry("甲县", 2022, 10**15)), quotas)
    lifted = with_limit(req, quotas[0], 0)
    assert (lifted.budgets, lifted.quotas) == (budgets, (QuotaEntry("posts", "all", 2022, 0), quotas[1]))


# ------------------------------------------------------------------ the one door of every command reading a plan


@pytest.fixture()
def english() -> Iterator[None]:
    set_lang("en")
    yield
    set_lang(None)


@pytest.fixture()
def chinese() -> Iterator[None]:
    set_lang("zh")
    yield
    set_lang(None)


def written(tmp_path: Path, sc: dict, **changes: object) -> tuple[LoadedScenario, Path]:
    """A scenario and its honest plan (no actions), written to plan.json with `changes`."""
    loaded = load(sc, tmp_path)
    plan = writer_plan(loaded, []).model_copy(update=changes)
    path = tmp_path / "plan.json"
    path.write_text(plan.model_dump_json(), encoding="utf-8")
    return loaded, path


ONE_OFFICE = scenario(targets={2022: {"all": 0.0}})


def test_a_plan_that_holds_passes_the_door(tmp_path: Path) -> None:
    loaded, path = written(tmp_path, ONE_OFFICE)
    checked = check_plan_file(path, tmp_path / "s.yaml")
    assert (checked.loaded is not None, checked.verified, checked.notes) == (True, True, ())
    assert checked.plan.scenario.sha256 == loaded.sha256
    checked = check_plan_file(path, loaded=loaded)  # the scenario given loaded, or named by the plan
    assert (checked.loaded, checked.verified) == (loaded, True)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_plan_of_another_scenario_version_is_refused_unless_forced(lang: str, tmp_path: Path) -> None:
    loaded, path = written(tmp_path, ONE_OFFICE)
    other = json.loads(path.read_text(encoding="utf-8"))
    other["scenario"]["sha256"] = "ab" * 32
    path.write_text(json.dumps(other), encoding="utf-8")
    file, sha = other["scenario"]["file"], loaded.sha256[:12]
    said, refused_as, forced_as = {
        "en": (f"the plan was solved from another version of the scenario ({file}, sha256 abababababab…), "
               f"not {loaded.file} ({sha}…)", " (give --force to use it anyway)",
               "; used under --force, the output says unverified"),
        "zh": (f"方案求解自另一版本的情景文件（{file}，sha256 abababababab…），与 {loaded.file}（{sha}…）不同",
               "（确认无误可加 --force）", "；按 --force 使用，输出标注“未核验”")}[lang]
    set_lang(lang)
    try:
        with pytest.raises(PlanRefused) as refused:
            check_plan_file(path, loaded=loaded)
        assert refused.value.file == str(path)
        assert [str(v) for v in refused.value.violations] == [f"scenario.sha256: {said}{refused_as}"]
        checked = check_plan_file(path, loaded=loaded, force=True)
    finally:
        set_lang(None)
    assert (checked.loaded, checked.verified) == (loaded, False)
    assert checked.notes == (said + forced_as,)


def test_a_plan_without_its_scenario_needs_force_and_must_be_consistent(tmp_path: Path, chinese: None) -> None:
    _, path = written(tmp_path, ONE_OFFICE)
    (tmp_path / "s.yaml").unlink()
    with pytest.raises(ScenarioError) as missing:
        check_plan_file(path)
    last = missing.value.issues[-1]
    assert (last.file, last.line, last.field) == (str(path), None, "scenario")
    assert last.message == (f"无法对照情景文件 {tmp_path / 's.yaml'} 核验本方案：请用 --scenario 指定情景文件，"
                            "或用 --force 不经核验使用（输出标注“未核验”）")
    checked = check_plan_file(path, force=True)
    assert (checked.loaded, checked.verified) == (None, False)
    assert checked.notes == (f"未能加载情景文件 {tmp_path / 's.yaml'}，方案未经核验（--force）",)
    set_lang("en")
    with pytest.raises(ScenarioError) as missing:
        check_plan_file(path)
    assert missing.value.issues[-1].message == (
        f"the plan cannot be checked without its scenario {tmp_path / 's.yaml'}: give --scenario PATH, "
        "or --force to use it unverified (the output says so)")
    assert check_plan_file(path, force=True).notes == (
        f"scenario {tmp_path / 's.yaml'} not loaded; the plan is unverified (--force)",)
    # Under --force only what the outputs rely on is checked: each office once, every action's office listed.
    plan = json.loads(path.read_text(encoding="utf-8"))
    plan["offices"].append(plan["offices"][0])
    plan["actions"] = [{"office": "Z", "year": 2022, "type": "facility", "facility": "five_stations",
                        "one_time": 0, "annual": 0}]
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(PlanRefused) as refused:
        check_plan_file(path, force=True)
    assert refused.value.file == str(path)
    assert str(refused.value) == ("office A: listed 2 times in the plan's offices\n"
                                  "actions[0] (Z 2022 facility): unknown office 'Z'")


def test_an_unreadable_or_oversized_plan_is_said_with_its_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               english: None) -> None:
    path = tmp_path / "plan.json"
    path.write_text("{", encoding="utf-8")
    plan, problems = read_plan_for_verify(path)
    assert plan is None and [v.where for v in problems] == [str(path)]
    assert problems[0].message.startswith("not a readable plan.json (Expecting property name")
    path.write_text(json.dumps({"format": "plan-result/1"}), encoding="utf-8")
    plan, problems = read_plan_for_verify(path)
    assert plan is None and f"{path}: scenario" in [v.where for v in problems]
    with pytest.raises(PlanRefused) as refused:
        check_plan_file(path)
    assert refused.value.file == str(path) and refused.value.violations == problems
    path.write_text(json.dumps({"format": "plan-result/1", "name": "公"}, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(planner.plan, "MAX_PLAN_BYTES", 8)
    with pytest.raises(ScenarioError) as large:
        read_plan_for_verify(path)
    assert [(i.file, i.line, i.field) for i in large.value.issues] == [(str(path), None, "")]
    assert large.value.issues[0].message.startswith("over 0 MiB")


# ------------------------------------------------------------------ what each action names, carries, and when it counts
# (planner/rules/actions.py, docs/reference.md §5), as the tables, milestones and comparisons read it.


def test_each_action_names_its_item_and_carries_its_amount() -> None:
    hire = Action(office="A", year=2022, type="hire", role="mediators", count=2)
    lease = Action(office="A", year=2022, type="lease", area_m2=30)
    build = Action(office="A", year=2022, type="build", area_m2=40)
    option = Action(office="A", year=2023, type="housing", option="annex")
    room = Action(office="A", year=2022, type="facility", facility="five_stations")
    assert [(spec(a).item_of(a), spec(a).amount_of(a)) for a in (hire, lease, build, option, room)] == [
        ("mediators", 2), (None, 30), (None, 40), ("annex", None), ("five_stations", None)]


def test_a_build_and_a_housing_option_count_after_their_lead_times(tmp_path: Path) -> None:
    # BOUNDS: a build counts 1 year after it; the annex 1 year after it is taken, big at once.
    loaded = load(BOUNDS, tmp_path)
    a = loaded.offices[0]

    def lead(office: object, **fields: object) -> int:
        return lead_years(loaded, office, Action(office="A", year=2023, **fields))  # type: ignore[arg-type]

    assert lead(a, type="build", area_m2=10) == 1
    assert (lead(a, type="housing", option="annex"), lead(a, type="housing", option="big")) == (1, 0)
    # What the scenario does not know counts at once: an unknown option, or no office to ask.
    assert (lead(a, type="housing", option="gone"), lead(None, type="housing", option="annex")) == (0, 0)
    assert [lead(a, type="hire", role="mediators", count=1), lead(a, type="lease", area_m2=5),
            lead(a, type="facility", facility="five_stations")] == [0, 0, 0]
    # No build price at all: no lead time either.
    no_build = load({**BOUNDS, "costs": {**BOUNDS["costs"], "housing": {"lease": {"annual_per_m2": 0.1}}}}, tmp_path)
    assert lead_years(no_build, no_build.offices[0], Action(office="A", year=2023, type="build", area_m2=10)) == 0
