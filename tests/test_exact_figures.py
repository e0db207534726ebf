"""Exact texts and figures users read, one rule at a time (issue 13's mutation run: each test here
kills mutants that the solver tests cannot see, because they change what is *said*, not what is
*chosen*).

`planner.attainment.gaps` says why an office is not attained, in English (`plan verify`, the
terminal) and Chinese (reports, the workbook, the Word draft); every phrase below is worked out by
hand from docs/reference.md §4 and the shipped standards (docs/standards.md).
"""

from __future__ import annotations

from planner.attainment import OfficeState, attains, gaps, initial_state, unmet
from planner.classify import Classification, classify_office, size_class
from planner.loading import load_standard_file
from planner.scenario import Office
from planner.standards import SizeThreshold, builtin_path
from planner.targets import scope_zh

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
    assert not attains(JIANGSU, "small", office, 2022, state)


def test_an_office_that_meets_every_requirement_has_no_gap() -> None:
    # 30 subjects in 2023 need ceil(30 / 15) = 2 correction workers: the state has them.
    office = township(caseload={"correction_subjects": {2022: 31, 2023: 30}},
                      staff={"posts": 2, "mediators": 2, "correction_sw": 2}, floor_area_m2=200,
                      facilities=sorted(SMALL_ROOMS))
    state = initial_state(office)
    assert (state.staff, state.floor_area_m2, state.facilities) == (
        {"posts": 2, "mediators": 2, "correction_sw": 2}, 200, SMALL_ROOMS)
    assert gaps(JIANGSU, "small", office, 2023, state) == []
    assert attains(JIANGSU, "small", office, 2023, state)
    # The same state in 2022 (31 subjects) lacks one correction worker, and says so.
    assert unmet(JIANGSU, "small", office, 2022, state) == ["correction_sw 2 < 3"]
    assert not attains(JIANGSU, "small", office, 2022, state)
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
