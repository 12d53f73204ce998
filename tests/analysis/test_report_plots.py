"""Report figures a reviewer can use: repeated orders grouped, names on the axes, units that
match their values."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.text import Text

from analysis.i18n import translator
from analysis.names import Names
from analysis.plots import decisions, order_runs, unit_gantt
from analysis.report import kpi_text
from tests.analysis.conftest import Ev


def order(t: float, kind: str, accepted: bool = True, **fields: object) -> Ev:
    command = {"issuer": "trainee", "type": kind, **fields}
    return (t, "CommandIssued", {"seq": 0, "command": command, "accepted": accepted})


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def test_a_hundred_and_eighty_recalls_a_minute_apart_read_as_one_bar_with_its_count(crafted):
    recalls = [order(30.0 + n, "recall", unit="ambulance-1") for n in range(180)]
    drill = crafted([order(5.0, "warn", zone="west"), *recalls, (240.0, "DrillEnded", {})])
    assert order_runs(drill)["recall"] == [(30.0, 209.0, 180, True)]
    fig = Figure()
    decisions(fig.add_subplot(), drill, translator("en"))
    shown = texts(fig)
    assert "recall (180)" in shown and "×180" in shown
    assert "warn (1)" in shown


def test_refused_orders_and_orders_far_apart_are_runs_of_their_own(crafted):
    drill = crafted(
        [
            order(10.0, "dispatch", unit="ambulance-1", target="crash"),
            order(11.0, "dispatch", False, unit="ambulance-1", target="crash"),
            order(12.0, "dispatch", unit="ambulance-2", target="crash"),
            order(100.0, "dispatch", unit="ambulance-2", target="crash"),
            (240.0, "DrillEnded", {}),
        ]
    )
    assert order_runs(drill)["dispatch"] == [
        (10.0, 12.0, 2, True),
        (11.0, 11.0, 1, False),
        (100.0, 100.0, 1, True),
    ]


def test_the_unit_timeline_names_units_in_the_reports_language(crafted):
    drill = crafted(
        [
            (5.0, "UnitDispatched", {"unit": "fire_engine-2", "order": "incident", "target": "x"}),
            (60.0, "UnitReturned", {"unit": "fire_engine-2"}),
            (240.0, "DrillEnded", {}),
        ]
    )
    for lang, name in (("en", "fire engine 2"), ("zh-CN", "消防车2")):
        tr = translator(lang)
        fig = Figure()
        unit_gantt(fig.add_subplot(), drill, tr, Names(drill, tr))
        assert name in texts(fig) and "fire_engine-2" not in texts(fig)


def test_a_share_judged_against_a_time_states_its_target_whole():
    kpi = {"unit": "share", "target_unit": "min", "value": 1.0, "target": 5.0}
    assert kpi_text(kpi, 1.0, translator("en")) == "100.0 %"
    assert kpi_text(kpi, 5.0, translator("en"), target=True) == "≥ 90 % within 5 min"
    assert kpi_text(kpi, 5.0, translator("zh-CN"), target=True) == "5 分钟内到场的不少于90%"
