"""Calibration: the bots on many seeds, as Dask tasks, summarised for an instructor.

Small calibrations of the two-hour gas drill on a Dask cluster of one thread
in this process (the same tasks a cluster of processes runs); the command's
output folder, its printed summary in both languages, and its refusals.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest

import analysis.calibrate
import sim
from analysis.batch import BatchFailed, dask_client
from analysis.calibrate import distribution, play_and_score, run_calibration, summarise
from analysis.cli import main
from tests.conftest import ROOT

GAS = ROOT / "tests" / "data" / "mini_gas.yaml"
SEEDS = (3, 4, 5)


@pytest.fixture(scope="module")
def client():
    with dask_client(workers=1, processes=False) as one:
        yield one


@pytest.fixture(scope="module")
def calibrated(client):
    loaded = sim.load_scenario(GAS)
    anchors, drills = run_calibration(loaded, SEEDS, client)
    return loaded, anchors, drills


@pytest.fixture
def in_process(monkeypatch):
    """The command's local cluster, as one thread in this process."""

    @contextmanager
    def local(scheduler: str | None = None, workers: int | None = None):
        assert scheduler is None
        with dask_client(workers=1, processes=False) as one:
            yield one

    monkeypatch.setattr(analysis.calibrate, "dask_client", local)


def test_every_bot_is_played_on_every_seed_in_order(calibrated):
    _, _, drills = calibrated
    assert [(d.bot, d.seed) for d in drills] == [
        (b, s) for b in ("idle", "naive", "expert") for s in SEEDS
    ]


def test_a_task_scores_as_the_drill_played_in_this_process(calibrated):
    loaded, anchors, drills = calibrated
    alone = play_and_score(loaded, "expert", 4, anchors)
    tasked = next(d for d in drills if (d.bot, d.seed) == ("expert", 4))
    assert (tasked.total, tasked.harm, tasked.failed) == (alone.total, alone.harm, alone.failed)


def test_the_summary_orders_the_bots_and_scores_them_on_the_reports_anchors(calibrated):
    loaded, _, drills = calibrated
    summary = summarise(loaded, drills)
    bots = summary["bots"]
    assert bots["idle"]["total"]["p50"] < bots["naive"]["total"]["p50"]
    assert bots["naive"]["total"]["p50"] < bots["expert"]["total"]["p50"]
    assert bots["expert"]["harm"]["p50"] < bots["idle"]["harm"]["p50"]
    # Doing nothing is the floor of the scale, on every seed.
    assert bots["idle"]["harm"]["p50"] == pytest.approx(summary["anchors"]["floor_harm"])
    assert summary["seeds"] == list(SEEDS)
    assert all(0.0 <= b["pass_share"] <= 1.0 for b in bots.values())


def test_percentiles_are_those_of_the_seeds():
    got = distribution([10.0, 20.0, 30.0, 40.0, 50.0])
    assert (got["min"], got["p25"], got["p50"], got["p75"], got["max"]) == (10, 20, 30, 40, 50)
    assert got["p5"] == pytest.approx(12.0)
    assert got["mean"] == 30.0
    assert got["sd"] == pytest.approx(15.811, abs=1e-3)


def test_a_drill_that_crashes_stops_the_calibration_and_names_bot_and_seed(client, monkeypatch):
    def broken(name: str, scenario: object) -> object:
        raise ValueError("no such commander")

    monkeypatch.setattr(analysis.calibrate, "make_any_bot", broken)  # the worker is a thread
    with pytest.raises(BatchFailed) as failed:
        run_calibration(sim.load_scenario(GAS), (3,), client, ("naive",))
    assert failed.value.key == ("naive", 3)
    assert "no such commander" in str(failed.value)


@pytest.mark.parametrize(
    ("lang", "word", "title"),
    [("en", "expert bot", "Mini chlorine leak"), ("zh-CN", "专家机器人", "小型氯气泄漏")],
)
def test_the_command_writes_json_and_plot_and_prints_the_bands(
    tmp_path, capsys, in_process, lang, word, title
):
    out = tmp_path / "cal"
    code = main(["calibrate", str(GAS), "--seeds", "2", "--out", str(out), "--lang", lang])
    assert code == 0
    printed = capsys.readouterr()
    assert word in printed.out
    assert title in printed.out.splitlines()[0]  # the drill by its title, not its id
    assert "2/2" not in printed.out  # the bar goes to stderr, the summary to stdout
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["calibration.json", f"calibration.{lang}.png"]
    )
    summary = json.loads((out / "calibration.json").read_text(encoding="utf-8"))
    assert summary["seeds"] == [1, 2]
    assert {d["bot"] for d in summary["drills"]} == {"idle", "naive", "expert"}
    assert (out / f"calibration.{lang}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_failed_write_leaves_no_partial_file(tmp_path, in_process, monkeypatch):
    import os

    replace = os.replace

    def no_room_for_json(source, target):
        if str(target).endswith(".json"):
            raise OSError(28, "No space left on device")
        replace(source, target)

    monkeypatch.setattr(analysis.calibrate, "plot_png", lambda summary, tr: b"\x89PNG")
    monkeypatch.setattr(os, "replace", no_room_for_json)
    out = tmp_path / "cal"
    code = main(["calibrate", str(GAS), "--seeds", "1", "--bots", "idle", "--out", str(out)])
    assert code == 2
    assert [p.name for p in out.iterdir()] == ["calibration.en.png"]  # the JSON never half-made


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--bots", "idle,genius"], "genius"),
        (["--seeds", "0"], "out of range"),
        (["--seeds", "many"], "not a whole number"),
    ],
)
def test_bad_arguments_are_refused_in_one_line(tmp_path, capsys, in_process, args, says):
    with pytest.raises(SystemExit) if args[0] == "--seeds" else _no_exit():
        code = main(["calibrate", str(GAS), "--out", str(tmp_path / "x"), *args])
        assert code == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


@contextmanager
def _no_exit():
    yield


def _trial_summary() -> dict:
    """The trial's calibration, as calibration.json holds it: scores near both ends."""

    def band(value: float) -> dict:
        return {k: value for k in ("mean", "min", "p5", "p25", "p50", "p75", "p95", "max")}

    figures = {"idle": (6.2, 218.0), "naive": (40.0, 58.5), "expert": (91.7, 0.9)}
    return {
        "scenario_id": "nanhe-spillway",
        "title": {
            "en": "Nanhe Town flash flood after the Qinglong spillway release",
            "zh": "青龙水库泄洪：南河镇山洪",
        },
        "seeds": [1, 2],
        "pass_mark": 60.0,
        "anchors": {"seeds": [1], "floor_harm": 218.0, "ceiling_harm": 0.0},
        "bots": {b: {"total": band(t), "harm": band(h)} for b, (t, h) in figures.items()},
        "drills": [
            {"bot": b, "seed": s, "total": t, "harm": h}
            for b, (t, h) in figures.items()
            for s in (1, 2)
        ],
    }


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_calibration_plot_is_titled_in_its_language_and_keeps_its_labels_inside(lang):
    # The trial's Chinese plot was titled "nanhe-spillway"; the expert's band label (score 92)
    # and "doing nothing (0)" (harm at the axis' end) ran past their panels.
    from matplotlib.text import Text

    from analysis.calibrate import calibration_figure
    from analysis.i18n import translator

    fig = calibration_figure(_trial_summary(), translator(lang))
    title = fig.get_suptitle()
    assert ("青龙水库泄洪" in title) == (lang == "zh-CN") and "nanhe-spillway" not in title
    for ax in fig.axes:
        frame = ax.get_window_extent()
        labels = [t for t in ax.findobj(Text) if t.get_text() and t.axes is ax and t in ax.texts]
        assert len(labels) >= 4  # three bands and the pass mark or two anchors
        for label in labels:
            box = label.get_window_extent()
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1, (label.get_text(), box, frame)


def test_a_calibration_written_before_titles_were_kept_is_titled_by_its_id():
    from analysis.calibrate import title_of
    from analysis.i18n import translator

    summary = {k: v for k, v in _trial_summary().items() if k != "title"}
    assert title_of(summary, translator("zh-CN")) == "nanhe-spillway"
