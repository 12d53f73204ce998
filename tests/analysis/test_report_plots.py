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
    assert kpi_text(kpi, 5.0, translator("zh-CN"), target=True) == "5 分钟内完成的不少于90%"


def _gas_drill_with_a_lake(crafted):
    """The mini gas drill with a lake, incidents and an evacuation at Lee's middle (where its
    village hall, a shelter, stands too), and the gas's greatest extent over the east."""
    import numpy as np
    import yaml

    import sim
    from tests.conftest import ROOT

    data = yaml.safe_load((ROOT / "tests" / "data" / "mini_gas.yaml").read_text("utf-8"))
    lake = [[200, 1500], [800, 1500], [800, 1900], [200, 1900]]
    data["map"]["land_use"] = [*data["map"].get("land_use", []), {"type": "water", "polygon": lake}]
    loaded = sim.parse_scenario(yaml.safe_dump(data, allow_unicode=True), "gas-lake.yaml")
    reached = np.zeros((44, 50), dtype=bool)
    reached[15:30, 10:45] = True
    runs = [[row * 50 + 10, 35] for row in range(15, 30)]
    incidents = [
        (
            20.0 + n,
            "IncidentCreated",
            {
                "incident": f"c{n}",
                "kind": "casualties",
                "x": 1475.0 + dx,
                "y": 1000.0 + dy,
                "zone": "lee",
            },
        )
        for n, (dx, dy) in enumerate(((0, 0), (40, 20), (-40, -20)))
    ]
    events = [
        (
            5.0,
            "HazardMilestone",
            {"hazard": "chlorine", "kind": "gas", "milestone": "zone_reached", "zone": "lee"},
        ),
        *incidents,
        (30.0, "EvacuationOrdered", {"zone": "lee", "shelter": "south-school"}),
        (
            120.0,
            "HazardFootprint",
            {"hazard": "chlorine", "kind": "gas", "shape": [44, 50], "cell_m": 50.0, "runs": runs},
        ),
        (120.0, "DrillEnded", {}),
    ]
    return crafted(events, loaded), int(reached.sum())


def test_the_reach_map_draws_the_water_and_the_hazards_greatest_extent(crafted):
    # The trial's flood map drew neither the river nor the flooded area.
    from matplotlib.image import AxesImage

    from analysis.plots import reach_map
    from analysis.report import use_fonts

    use_fonts()
    drill, cells = _gas_drill_with_a_lake(crafted)
    for lang, legend in (
        ("en", {"river / lake", "gas leak: greatest extent"}),
        ("zh-CN", {"河流 / 湖泊", "危化品泄漏：最大范围"}),
    ):
        tr = translator(lang)
        fig = Figure(figsize=(9, 8))
        ax = fig.add_subplot()
        reach_map(ax, drill, tr, Names(drill, tr))
        assert legend <= {t.get_text() for t in ax.get_legend().get_texts()}
        shown = [im.get_array() for im in ax.findobj(AxesImage)]
        assert cells in [int(im.count()) for im in shown if hasattr(im, "count")]


def test_zone_names_on_the_reach_map_stay_clear_of_incidents_shelters_and_arrows(crafted):
    # The trial's names sat under the incident stars and the evacuation arrows at each zone's
    # middle; here Lee's middle holds three incidents, its hall and an arrow's start.
    import numpy as np

    from analysis.plots import reach_map
    from analysis.report import use_fonts

    use_fonts()
    drill, _ = _gas_drill_with_a_lake(crafted)
    for lang in ("en", "zh-CN"):
        tr = translator(lang)
        fig = Figure(figsize=(9, 8))
        ax = fig.add_subplot()
        reach_map(ax, drill, tr, Names(drill, tr))
        fig.tight_layout()
        to_px = ax.transData.transform
        marks = np.vstack([to_px(c.get_offsets()) for c in ax.collections if len(c.get_offsets())])
        arrow = to_px([[1475.0, 1000.0], [1700.0, 2050.0]])
        arrow_points = arrow[0] + np.linspace(0, 1, 200)[:, None] * (arrow[1] - arrow[0])
        frame = ax.get_window_extent()
        names = {Names(drill, tr).zone(z.id) for z in drill.scenario.zones}
        labels = [t for t in ax.texts if t.get_text().split("\n")[0] in names]
        assert len(labels) == 3
        for label in labels:
            box = label.get_window_extent()
            for x, y in np.vstack([marks, arrow_points]):
                assert not (box.x0 - 4 < x < box.x1 + 4 and box.y0 - 4 < y < box.y1 + 4), (
                    label.get_text(),
                    (x, y),
                )
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1
            assert frame.y0 <= box.y0 and box.y1 <= frame.y1
