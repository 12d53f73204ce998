from analysis.kpis import all_kpis
from tests.analysis.conftest import sample

END = (
    240.0,
    "DrillEnded",
    {
        "people": {"dead": 0, "injured": 0, "trapped": 0},
        "unmet_need_person_h": 0.0,
        "incidents_open": 0,
    },
)


def kpi(crafted, events, kpi_id):
    return all_kpis(crafted([*events, END]))[kpi_id]


def test_warning_delay_is_minutes_from_hazard_start_to_first_warning(crafted):
    events = [
        (2.0, "HazardStarted", {"hazard": "h", "kind": "flood"}),
        (9.0, "WarningIssued", {"zone": "west", "level": "blue", "channel": "sms"}),
    ]
    got = kpi(crafted, events, "warning_delay")
    assert (got.value, got.status) == (7.0, "met")


def test_warning_later_than_ten_minutes_misses_the_target(crafted):
    events = [
        (0.0, "HazardStarted", {"hazard": "h", "kind": "flood"}),
        (15.0, "WarningIssued", {"zone": "west", "level": "blue", "channel": "sms"}),
    ]
    assert kpi(crafted, events, "warning_delay").status == "missed"


def test_warning_delay_is_not_applicable_without_a_hazard(crafted):
    assert kpi(crafted, [], "warning_delay").status == "n/a"


def test_warning_coverage_counts_people_who_heard_a_warning_before_arrival(crafted):
    events = [
        (0.0, "HazardStarted", {"hazard": "h", "kind": "flood"}),
        sample(10.0, zones={"west": [300, 600, 0, 0, 0, 0, 0, 0, 0]}),
        (12.0, "HazardMilestone", {"hazard": "h", "milestone": "zone_reached", "zone": "west"}),
        sample(15.0, zones={"west": [0, 900, 0, 0, 0, 0, 0, 0, 0]}),
    ]
    got = kpi(crafted, events, "warning_coverage")
    assert got.value == round(600 / 900, 4)
    assert got.status == "missed"


def test_evacuation_share_counts_evacuated_and_sheltering_when_the_hazard_arrives(crafted):
    events = [
        (0.0, "HazardStarted", {"hazard": "h", "kind": "fire"}),
        sample(15.0, zones={"west": [0, 90, 0, 700, 110, 0, 0, 0, 0]}),
        (
            17.0,
            "PeopleHarmed",
            {"zone": "west", "cause": "h", "dead": 1, "injured": 0, "trapped": 0},
        ),
    ]
    got = kpi(crafted, events, "evacuation")
    assert got.value == 0.9
    assert got.status == "met"


def test_first_unit_counts_unanswered_incidents_as_late(crafted):
    events = []
    for ident, t in (("a", 0.0), ("b", 10.0), ("c", 20.0)):
        events.append((t, "IncidentCreated", {"incident": ident, "kind": "trapped", "people": 1}))
    events += [
        (4.0, "UnitArrived", {"unit": "fire_engine-1", "incident": "a"}),
        (16.0, "UnitArrived", {"unit": "fire_engine-2", "incident": "b"}),
    ]
    got = kpi(crafted, events, "first_unit")
    assert got.value == round(1 / 3, 4)
    assert got.evidence["incidents"] == {"a": 4.0, "b": 6.0, "c": None}


def test_first_unit_target_grows_with_the_distance_from_the_nearest_capable_base(crafted):
    # 建标152: 5 min to the edge of a 7 km² district, 1.49 km from its station. A fire
    # 3 km from the fire station is allowed 5 × 3 / 1.49 = 10.0 min; one beside it, 5 min.
    events = [
        (
            0.0,
            "IncidentCreated",
            {"incident": "near", "kind": "building_fire", "x": 1050.0, "y": 650.0},
        ),
        (
            0.0,
            "IncidentCreated",
            {"incident": "far", "kind": "building_fire", "x": 1050.0, "y": 3250.0},
        ),
        (6.0, "UnitArrived", {"unit": "fire_engine-1", "incident": "near"}),
        (9.0, "UnitArrived", {"unit": "fire_engine-2", "incident": "far"}),
    ]
    got = kpi(crafted, events, "first_unit")
    assert got.evidence["allowed_min"] == {"far": 10.0, "near": 5.0}
    assert got.evidence["within"] == 1  # the far one was in time, the near one late


def test_ambulance_dispatch_counts_only_ambulances_sent_to_casualty_incidents(crafted):
    events = [
        (0.0, "IncidentCreated", {"incident": "crash", "kind": "casualties", "people": 2}),
        (1.0, "UnitDispatched", {"unit": "fire_engine-1", "order": "incident", "target": "crash"}),
        (2.5, "UnitDispatched", {"unit": "ambulance-1", "order": "incident", "target": "crash"}),
        (0.0, "IncidentCreated", {"incident": "fire", "kind": "building_fire", "people": 0}),
    ]
    got = kpi(crafted, events, "ambulance")
    assert got.evidence["incidents"] == {"crash": 2.5}
    assert got.status == "met"


def test_needs_met_when_no_unmet_need_accrues_before_the_deadline(crafted):
    events = [
        sample(0.0, shelters={"school": 100}, unmet_need_person_h=0.0),
        sample(5.0, shelters={"school": 100}, unmet_need_person_h=3.0),
        sample(10.0, shelters={"school": 100}, unmet_need_person_h=3.0),
    ]
    assert kpi(crafted, events, "needs_met").status == "met"


def test_needs_not_met_while_unmet_need_still_accrues_at_the_10h_deadline(crafted):
    events = [
        sample(0.0, shelters={"school": 100}, unmet_need_person_h=0.0),
        sample(540.0, shelters={"school": 100}, unmet_need_person_h=50.0),
        sample(600.0, shelters={"school": 100}, unmet_need_person_h=100.0),
        (660.0, "DrillEnded", {**END[2], "unmet_need_person_h": 100.0}),
    ]
    got = all_kpis(crafted(events))["needs_met"]
    assert (got.status, got.value) == ("missed", 0.5)


def test_needs_unjudged_when_the_drill_ends_short_of_the_deadline_with_supplies_coming(crafted):
    # Short at the end of a 1-hour drill, water on its way: whether they would be met within
    # 10 h is unknown. With nothing ever sent to the shelter, the item fails.
    events = [
        sample(0.0, shelters={"school": 100}, unmet_need_person_h=0.0),
        sample(60.0, shelters={"school": 100}, unmet_need_person_h=50.0),
    ]
    sent = (
        30.0,
        "CommandIssued",
        {
            "seq": 1,
            "accepted": True,
            "reason": None,
            "command": {
                "type": "move_supplies",
                "source": "depot",
                "destination": "school",
                "item": "water_l",
                "amount": 4000,
            },
        },
    )
    got = kpi(crafted, [*events[:1], sent, *events[1:]], "needs_met")
    assert (got.status, got.value) == ("not_observable", 0.5)
    nothing = kpi(crafted, events, "needs_met")
    assert (nothing.status, nothing.evidence["unsupplied"]) == ("missed", ["school"])


def test_needs_met_not_applicable_when_no_one_was_sheltered(crafted):
    assert kpi(crafted, [sample(0.0), sample(5.0)], "needs_met").status == "n/a"


def test_injuries_add_hazard_harm_and_inject_casualties(crafted):
    events = [
        (1.0, "IncidentCreated", {"incident": "x", "kind": "casualties", "people": 5}),
        (
            2.0,
            "PeopleHarmed",
            {"zone": "west", "cause": "h", "dead": 1, "injured": 3, "trapped": 0},
        ),
    ]
    assert kpi(crafted, events, "injuries").value == 8


def test_response_level_within_one_grade_of_the_warranted_one_is_in_proportion(crafted):
    harm = (
        1.0,
        "PeopleHarmed",
        {"zone": "west", "cause": "h", "dead": 0, "injured": 12, "trapped": 0},
    )
    high = kpi(crafted, [harm, (0.0, "ResponseLevelSet", {"level": "II"})], "response_level")
    low = kpi(crafted, [harm, (0.0, "ResponseLevelSet", {"level": "IV"})], "response_level")
    none = kpi(crafted, [harm], "response_level")
    assert high.evidence["set"] == "II" and high.evidence["warranted"] == "III"
    assert (high.status, low.status, none.status) == ("met", "met", "missed")


def test_the_warranted_level_comes_from_the_forecast_not_the_trainees_own_harm(crafted):
    # The trainee kept harm low (12 injured call for III), but the event unchecked
    # would have killed 40 (level I): level III is under-reaction against the forecast.
    harm = (
        1.0,
        "PeopleHarmed",
        {"zone": "west", "cause": "h", "dead": 0, "injured": 12, "trapped": 0},
    )
    drill = crafted([harm, (0.0, "ResponseLevelSet", {"level": "III"}), END])
    forecast = {"deaths": 40, "injuries": 0, "people_reached": 900}
    got = all_kpis(drill, forecast)["response_level"]
    assert got.evidence["warranted"] == "I" and got.status == "missed"
    assert all_kpis(drill)["response_level"].status == "met"  # judged on its own harm


def test_response_level_above_what_the_harm_and_reach_called_for_is_out_of_proportion(crafted):
    # 12 injured call for III; a hazard reaching West Village's 900 people adds nothing,
    # so one grade either side (IV to II) is in proportion and level I is not.
    reached = (
        1.0,
        "HazardMilestone",
        {"hazard": "h", "kind": "flood", "milestone": "zone_reached", "zone": "west"},
    )
    harm = (
        1.0,
        "PeopleHarmed",
        {"zone": "west", "cause": "h", "dead": 0, "injured": 12, "trapped": 0},
    )
    started = (0.0, "HazardStarted", {"hazard": "h", "kind": "flood"})
    top = kpi(
        crafted,
        [started, reached, harm, (2.0, "ResponseLevelSet", {"level": "I"})],
        "response_level",
    )
    assert top.evidence["people_reached"] == 900 and top.evidence["ceiling"] == "II"
    assert top.status == "missed"


def test_reach_grades_scale_the_response_with_the_people_in_the_events_path():
    from sim.grades import harm_rank, reach_rank

    assert [reach_rank(n) for n in (0, 999, 1000, 5000, 20_000)] == [1, 1, 2, 3, 4]
    assert [harm_rank(d, 0) for d in (0, 3, 10, 30)] == [1, 2, 3, 4]
    assert harm_rank(0, 0, happened=False) == 0


def test_idle_units_measures_the_wait_while_a_capable_unit_was_free(crafted):
    events = [
        (0.0, "IncidentCreated", {"incident": "crash", "kind": "casualties", "people": 2}),
        (12.0, "UnitDispatched", {"unit": "ambulance-1", "order": "incident", "target": "crash"}),
    ]
    got = kpi(crafted, events, "idle_units")
    assert (got.value, got.status) == (12.0, "missed")


def test_idle_units_ignores_waits_when_every_capable_unit_was_busy(crafted):
    events = [
        (0.0, "UnitDispatched", {"unit": "ambulance-1", "order": "zone", "target": "w"}),
        (0.0, "UnitDispatched", {"unit": "ambulance-2", "order": "zone", "target": "w"}),
        (1.0, "IncidentCreated", {"incident": "crash", "kind": "casualties", "people": 2}),
        (30.0, "UnitReturned", {"unit": "ambulance-1"}),
        (33.0, "UnitDispatched", {"unit": "ambulance-1", "order": "incident", "target": "crash"}),
    ]
    assert kpi(crafted, events, "idle_units").value == 3.0


def test_orders_rejected_is_the_share_of_commands_refused(crafted):
    order = {"seq": 1, "command": {"type": "recall", "unit": "x"}}
    events = [
        (0.0, "CommandIssued", {**order, "accepted": True, "reason": None}),
        (1.0, "CommandIssued", {**order, "accepted": False, "reason": "unknown_unit"}),
    ]
    got = kpi(crafted, events, "orders_rejected")
    assert (got.value, got.status) == (0.5, "missed")


def test_exposure_above_aegl2_is_not_applicable_without_a_gas_hazard(crafted):
    assert kpi(crafted, [], "above_aegl2").status == "n/a"


def test_exposure_above_aegl2_is_judged_only_where_a_warning_could_have_come_in_time(crafted):
    # The cloud reaches West 3 min after the leak is known, sooner than any warning channel
    # can spread (sim.people.CHANNELS); East after 30 min. Only East's 10 are held against
    # the commander; West's 40 are shown apart.
    import yaml

    from tests.conftest import MINI, mini_with

    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    tank = {"id": "tank", "type": "hazard_source", "name": {"en": "Tank", "zh": "储罐"}}
    gas = {"kind": "gas", "id": "g", "source": "tank", "substance": "chlorine"}
    loaded = mini_with(
        facilities=[*data["facilities"], {**tank, "at": [1200, 1000]}],
        hazards=[{**gas, "inventory_kg": 1000, "rate_kg_per_s": 1}],
    )
    exposed = {"g": {"people_above_aegl2": 50, "people_above_aegl2_by_zone": {"west": 40}}}
    events = [
        (0.0, "HazardStarted", {"hazard": "g", "kind": "gas"}),
        (3.0, "HazardMilestone", {"hazard": "g", "milestone": "zone_reached", "zone": "west"}),
        sample(5.0, hazards=exposed),
        (30.0, "HazardMilestone", {"hazard": "g", "milestone": "zone_reached", "zone": "east"}),
        sample(
            35.0,
            hazards={"g": {**exposed["g"], "people_above_aegl2_by_zone": {"west": 40, "east": 10}}},
        ),
    ]
    got = all_kpis(crafted([*events, END], loaded))["above_aegl2"]
    assert (got.value, got.status) == (10, "missed")
    assert got.evidence["no_notice"] == {"west": 40}
    assert got.evidence["unwarnable"] == 40
    # East has 600 people: up to 6 (1 %) is the residue no warning system reaches.
    assert got.target == 6
    few = {"g": {**exposed["g"], "people_above_aegl2_by_zone": {"west": 40, "east": 6}}}
    events[-1] = sample(35.0, hazards=few)
    assert all_kpis(crafted([*events, END], loaded))["above_aegl2"].status == "met"


def test_reporting_upward_within_an_hour_of_the_event_meets_decree_493(crafted):
    events = [
        (5.0, "IncidentCreated", {"incident": "x", "kind": "casualties", "zone": "west"}),
        (50.0, "ReportSubmitted", {"to": "county", "number": 1, "final": False}),
    ]
    got = kpi(crafted, events, "reporting_upward")
    assert (got.value, got.status) == (45.0, "met")


def test_never_reporting_upward_misses_the_target(crafted):
    events = [(5.0, "HazardStarted", {"hazard": "h", "kind": "flood"})]
    got = kpi(crafted, events, "reporting_upward")
    assert got.status == "missed" and got.evidence == {"reports": 0}


def test_reporting_upward_is_not_applicable_when_nothing_happened(crafted):
    assert kpi(crafted, [], "reporting_upward").status == "n/a"


def test_an_incident_no_unit_could_reach_is_listed_not_counted_late(crafted):
    # Cut off by road from the start, and the mini force has no boat or aircraft that
    # carries casualties: nobody could have answered it, so it is not judged late.
    events = [
        (0.0, "IncidentCreated", {"incident": "island", "kind": "casualties", "people": 2}),
        (0.0, "IncidentAccess", {"incident": "island", "by_road": False}),
        (0.0, "IncidentCreated", {"incident": "crash", "kind": "casualties", "people": 2}),
        (1.0, "UnitDispatched", {"unit": "ambulance-1", "order": "incident", "target": "crash"}),
        (4.0, "UnitArrived", {"unit": "ambulance-1", "incident": "crash"}),
    ]
    got = kpi(crafted, events, "first_unit")
    assert got.evidence["unreachable"] == ["island"]
    assert (got.value, got.status) == (1.0, "met")
    idle = kpi(crafted, events, "idle_units")
    assert idle.evidence["incidents"]["island"] == 0.0  # free ambulances could not drive there


def test_an_incident_reachable_for_longer_than_a_dispatchers_turnaround_is_judged(crafted):
    events = [
        (0.0, "IncidentCreated", {"incident": "island", "kind": "casualties", "people": 2}),
        (5.0, "IncidentAccess", {"incident": "island", "by_road": False}),
    ]
    got = kpi(crafted, events, "first_unit")
    assert "unreachable" not in got.evidence
    assert got.evidence["incidents"] == {"island": None} and got.status == "missed"


def test_a_stranded_crew_recalled_at_once_is_safe_one_left_waiting_is_not(crafted):
    from analysis.rubric import judge_all

    base = [
        (0.0, "UnitDispatched", {"unit": u, "order": "incident", "target": "x"})
        for u in ("fire_engine-1", "fire_engine-2")
    ]
    events = [
        *base,
        (5.0, "UnitStranded", {"unit": "fire_engine-1", "node": 3}),
        (6.0, "UnitDispatched", {"unit": "fire_engine-1", "order": "base", "target": None}),
        (5.0, "UnitStranded", {"unit": "fire_engine-2", "node": 3}),
    ]
    drill = crafted([*events, END])
    safe = next(j for j in judge_all(drill, all_kpis(drill)) if j.item == "responders_safe")
    assert (safe.result, safe.params["units"]) == ("no", "fire_engine-2")


def test_zones_reached_sooner_than_any_warning_can_spread_are_listed_not_judged(crafted):
    # A gas cloud on the school 4 minutes after the release: no channel reaches people that
    # fast (SMS needs 12 min), so the zone cannot count against warning or evacuation.
    events = [
        (0.0, "HazardStarted", {"hazard": "h", "kind": "gas"}),
        sample(3.0, zones={"west": [900, 0, 0, 0, 0, 0, 0, 0, 0]}),
        (4.0, "HazardMilestone", {"hazard": "h", "milestone": "zone_reached", "zone": "west"}),
    ]
    for kpi_id in ("warning_coverage", "evacuation"):
        got = kpi(crafted, events, kpi_id)
        assert (got.status, got.evidence["no_notice"]) == ("n/a", ["west"])


def test_an_incident_whose_road_went_under_before_any_unit_arrived_is_listed_not_judged(crafted):
    # A levee breach floods its own access road a minute after it is reported: the crew
    # sent at once turns back, and no boat in the mini force can work it.
    events = [
        (0.0, "IncidentCreated", {"incident": "breach", "kind": "casualties", "people": 2}),
        (0.5, "UnitDispatched", {"unit": "ambulance-1", "order": "incident", "target": "breach"}),
        (1.0, "IncidentAccess", {"incident": "breach", "by_road": False}),
    ]
    got = kpi(crafted, events, "first_unit")
    assert got.evidence["unreachable"] == ["breach"]
    assert got.status == "n/a"


def _item(crafted, events, item):
    from analysis.rubric import judge_all

    drill = crafted([*events, END])
    return next(j for j in judge_all(drill, all_kpis(drill)) if j.item == item)


def test_a_zone_cut_off_from_every_teams_base_needs_no_traffic_team(crafted):
    ordered = [(5.0, "EvacuationOrdered", {"zone": "west", "shelter": "school"})]
    cut_off = [(5.5, "ZoneAccess", {"zone": "west", "by_road": False})]
    missed = _item(crafted, ordered, "traffic_teams")
    assert (missed.result, missed.params["zones"]) == ("no", "west")
    excused = _item(crafted, ordered + cut_off, "traffic_teams")
    assert (excused.result, excused.params["cut_off"]) == ("yes", "west")
    rejoined = [*cut_off, (30.0, "ZoneAccess", {"zone": "west", "by_road": True})]
    assert _item(crafted, ordered + rejoined, "traffic_teams").result == "no"


def test_an_incident_made_just_before_the_end_is_not_owed_a_unit(crafted):
    # The crash at minute 239 could not have been reached before the drill ended at 240;
    # the one at minute 100 could, and nobody went.
    late = [(239.0, "IncidentCreated", {"incident": "late", "kind": "casualties", "people": 1})]
    early = [(100.0, "IncidentCreated", {"incident": "early", "kind": "casualties", "people": 1})]
    assert _item(crafted, late, "incidents_resolved").result == "yes"
    left = _item(crafted, late + early, "incidents_resolved")
    assert (left.result, left.params["open"]) == ("no", 1)


def test_a_short_drills_needs_item_says_which_shelter_nobody_supplied(crafted):
    from analysis.i18n import translator
    from analysis.names import Names
    from analysis.report import _params, _why_key
    from analysis.rubric import judge_all

    events = [
        sample(0.0, shelters={"school": 100}, unmet_need_person_h=0.0),
        sample(60.0, shelters={"school": 100}, unmet_need_person_h=50.0),
    ]
    drill = crafted(events)
    kpis = all_kpis(drill)
    item = next(j.to_json() for j in judge_all(drill, kpis) if j.item == "needs_met_10h")
    card = {"kpis": {k: v.__dict__ for k, v in kpis.items()}}
    for lang, shelter in (("en", "School shelter"), ("zh-CN", "学校避难场所")):
        tr = translator(lang)
        reason = tr(_why_key(item), **_params(card, item, tr, Names(drill, tr)))
        assert shelter in reason and "[" not in reason


def test_needs_with_nobody_sheltered_but_need_accruing_are_not_shown_as_all_met(crafted):
    events = [
        sample(0.0, unmet_need_person_h=0.0),
        sample(540.0, unmet_need_person_h=50.0),
        sample(600.0, unmet_need_person_h=100.0),
    ]
    got = kpi(crafted, events, "needs_met")
    assert got.value == 0.0 and got.status != "met"
