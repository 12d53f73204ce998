import json
import subprocess
import sys

from analysis.i18n import LOCALES_DIR, table, translator
from analysis.records import Records, default_path
from analysis.report import build_report
from analysis.rubric import DIMENSIONS, HUMAN_ITEMS, ITEMS
from analysis.scoring import score_drill
from tests.analysis.conftest import sample

ZERO = {"above_aegl2": 0.0, "deaths": 0.0, "injuries": 0.0, "trapped": 0.0, "unmet_person_h": 0.0}
PARTS = {
    "idle": {**ZERO, "deaths": 4.0},
    "unavoidable": {**ZERO, "deaths": 1.0},
    "forecast": {"deaths": 4.0, "injuries": 0.0, "people_reached": 900.0, "arrivals": {}},
}


def test_every_locale_key_exists_in_both_languages():
    assert set(table("en")) == set(table("zh-CN"))
    assert sorted(p.name for p in LOCALES_DIR.glob("*.json")) == ["en.json", "zh-CN.json"]


def test_every_item_dimension_and_human_item_has_its_words():
    keys = set(table("en"))
    needed = {f"dim.{d}" for d in DIMENSIONS}
    needed |= {f"{p}.{i[0]}" for i in ITEMS for p in ("item", "why", "rec")}
    needed |= {f"human.{h}" for hs in HUMAN_ITEMS.values() for h in hs}
    assert needed <= keys


def test_missing_parameters_render_as_a_dash_not_a_crash():
    assert "—" in translator("en")("why.orders_valid")


def test_report_html_has_every_section_in_both_languages(crafted):
    drill = crafted(
        [
            sample(0.0, people={"unaware": 1500}),
            sample(5.0, people={"unaware": 1500}),
            (
                10.0,
                "IncidentCreated",
                {"incident": "a", "kind": "trapped", "people": 2, "x": 100.0, "y": 100.0},
            ),
            (240.0, "DrillEnded", {"people": {"dead": 0}, "incidents_open": 1}),
        ]
    )
    card = score_drill(drill, PARTS)
    for lang, words in (
        (
            "en",
            ("Drill overview", "Evaluation by item", "Findings", "Improvement actions", "Figures"),
        ),
        ("zh-CN", ("演练概况", "评估内容与结果", "发现的问题", "改进措施", "图表")),
    ):
        page = build_report(drill, card, lang, {"trainee": "t"})
        assert all(w in page for w in words)
        assert page.count("data:image/png;base64,") == 8
        assert "[" + "item." not in page  # no untranslated keys


def test_records_round_trip_a_drill_and_cache_baselines(tmp_path):
    records = Records(tmp_path / "r.sqlite")
    card = {
        "scenario_id": "mini",
        "scenario_hash": "sha256:x",
        "seed": 3,
        "total": 55.5,
        "process_score": 40.0,
        "outcome": {"score": 66.0},
        "kpis": {},
    }
    drill_id = records.add_drill("alice", "2026-11-23 10:00", card, "/logs/a.jsonl")
    records.save_baseline("sha256:x", 3, "0.1.0", "idle", {"deaths": 4.0})
    records.close()
    again = Records(tmp_path / "r.sqlite")
    [got] = again.drills_of("alice")
    assert (got.id, got.total, got.scores, got.log_path) == (drill_id, 55.5, card, "/logs/a.jsonl")
    assert again.drills_on("mini")[0].trainee == "alice"
    assert again.baseline("sha256:x", 3, "0.1.0", "idle") == {"deaths": 4.0}
    assert again.baseline("sha256:x", 4, "0.1.0", "idle") is None


def test_records_default_to_the_xdg_data_dir_not_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_path() == tmp_path / "drillcommand" / "records.sqlite"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert ".local/share/drillcommand" in str(default_path())


def test_compare_plots_a_trainees_progress(tmp_path):
    from analysis.progress import compare_figure

    records = Records(tmp_path / "r.sqlite")
    for n, total in enumerate((30.0, 50.0, 70.0)):
        card = {
            "scenario_id": "mini",
            "scenario_hash": "h",
            "seed": n,
            "total": total,
            "process_score": total,
            "outcome": {"score": total},
        }
        records.add_drill("bob", f"2026-11-2{n}", card, "x")
    out = compare_figure(records, "bob", None, tmp_path / "c.png")
    assert out.stat().st_size > 1000


def test_analysis_never_imports_pygame():
    code = (
        "import sys, analysis, analysis.report, analysis.plots, analysis.cli;"
        "print(json.dumps(any(m.startswith('pygame') for m in sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", "import json;" + code], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) is False


def test_a_drill_with_nothing_preventable_is_recorded_in_an_old_database(tmp_path):
    # Databases from before kept the outcome NOT NULL; a drill whose outcome is "nothing
    # to prevent" (None) must still be saved, and the old rows kept.
    import sqlite3

    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE drills (id INTEGER PRIMARY KEY, trainee TEXT NOT NULL, scenario_id TEXT"
        " NOT NULL, scenario_hash TEXT NOT NULL, seed INTEGER NOT NULL, played_at TEXT NOT NULL,"
        " total REAL NOT NULL, process REAL NOT NULL, outcome REAL NOT NULL, scores_json TEXT"
        " NOT NULL, log_path TEXT NOT NULL);"
        "INSERT INTO drills VALUES (1,'li','mini','h',3,'2026-01-01',50,50,50,'{}','a.jsonl');"
    )
    old.commit()
    old.close()
    records = Records(path)
    card = {
        "scenario_id": "mini",
        "scenario_hash": "h",
        "seed": 3,
        "total": 70.0,
        "process_score": 70.0,
        "outcome": {"score": None},
    }
    records.add_drill("li", "2026-02-01", card, "b.jsonl")
    rows = records.drills_of("li")
    assert [r.outcome for r in rows] == [50.0, None]
    records.close()


CARD = {
    "scenario_id": "mini",
    "scenario_hash": "h",
    "seed": 3,
    "total": 62.0,
    "process_score": 60.0,
    "outcome": {"score": 64.0},
}


def _log(path, **header_extra):
    """A drill log file as the records read it: the header line, then an event."""
    import sim
    from tests.conftest import MINI

    header = {**sim.make_header(sim.load_scenario(MINI), 3), **header_extra}
    path.write_text(json.dumps(header) + '\n{"t":0.0,"event":"DrillStarted"}\n', encoding="utf-8")
    return path


def test_a_log_is_one_drill_whatever_the_language_name_or_copy_its_report_was_made_from(tmp_path):
    # The trial: the English report (trainee named) and the Chinese one (no name) of one log
    # became two drills of two trainees; a copy of the log made it three.
    log = _log(tmp_path / "drill.jsonl")
    records = Records(tmp_path / "r.sqlite")
    first = records.add_drill("trial-instructor", "2026-11-30 19:29", CARD, str(log))
    again = records.add_drill("anonymous", "2026-11-30 19:29", CARD, str(log))
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes(log.read_bytes())
    third = records.add_drill("anonymous", "2026-11-30 19:31", CARD, str(copy))
    assert first == again == third
    [drill] = records.drills_on("mini")
    assert drill.trainee == "trial-instructor"  # an unnamed report keeps the name recorded
    assert records.drills_of("anonymous") == []
    records.add_drill("li", "2026-11-30 19:40", {**CARD, "total": 63.0}, str(log))
    [renamed] = records.drills_on("mini")  # a name given later corrects it; scores follow
    assert (renamed.trainee, renamed.total) == ("li", 63.0)
    other = _log(tmp_path / "other.jsonl", engine_build="another drill")
    records.add_drill("li", "2026-11-30 20:00", CARD, str(other))
    assert len(records.drills_of("li")) == 2  # a different log is another drill
    records.close()


def test_a_bots_log_and_a_what_if_branch_are_not_a_trainees_drills(tmp_path):
    records = Records(tmp_path / "r.sqlite")
    bot = _log(tmp_path / "expert.jsonl", driver="expert")
    branch = _log(tmp_path / "branch.jsonl", branch={"parent": "expert.jsonl", "at_min": 30.0})
    records.add_drill("anonymous", "2026-11-30 19:29", CARD, str(bot))
    records.add_drill("trial-instructor", "2026-11-30 19:30", CARD, str(branch))
    assert records.drills_of("anonymous") == records.drills_of("trial-instructor") == []
    assert records.drills_on("mini") == []
    [reference] = records.bot_drills_on("mini")
    assert (reference.kind, reference.bot) == ("bot", "expert")
    assert sorted(r.kind for r in records.every_drill()) == ["bot", "branch"]
    records.close()


def test_an_old_database_counting_one_log_twice_is_merged_into_one_drill(tmp_path):
    import sqlite3

    log = _log(tmp_path / "drill.jsonl")
    bot = _log(tmp_path / "expert.jsonl", driver="expert")
    path = tmp_path / "old.sqlite"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE drills (id INTEGER PRIMARY KEY, trainee TEXT NOT NULL, scenario_id TEXT"
        " NOT NULL, scenario_hash TEXT NOT NULL, seed INTEGER NOT NULL, played_at TEXT NOT NULL,"
        " total REAL NOT NULL, process REAL NOT NULL, outcome REAL, scores_json TEXT"
        " NOT NULL, log_path TEXT NOT NULL);"
        f"INSERT INTO drills VALUES (1,'anonymous','mini','h',3,'a',50,50,50,'{{}}','{log}');"
        f"INSERT INTO drills VALUES (2,'instructor','mini','h',3,'a',50,50,50,'{{}}','{log}');"
        f"INSERT INTO drills VALUES (3,'anonymous','mini','h',3,'a',90,90,90,'{{}}','{bot}');"
        "INSERT INTO drills VALUES (4,'li','mini','h',3,'a',40,40,40,'{}','/gone.jsonl');"
    )
    old.commit()
    old.close()
    records = Records(path)
    assert [(r.id, r.trainee) for r in records.drills_on("mini")] == [
        (1, "instructor"),
        (4, "li"),  # its log is gone: kept as it was
    ]
    assert [r.total for r in records.bot_drills_on("mini")] == [90.0]
    records.close()
    assert len(Records(path).every_drill()) == 3  # opened again: nothing more changes


def test_the_progress_of_one_drill_has_whole_drill_numbers_and_counts(tmp_path, monkeypatch):
    import matplotlib.figure

    from analysis.progress import compare_figure

    records = Records(tmp_path / "r.sqlite")
    records.add_drill("li", "2026-11-30 19:29", CARD, str(_log(tmp_path / "a.jsonl")))
    bot = _log(tmp_path / "expert.jsonl", driver="expert")
    records.add_drill("anonymous", "2026-11-30 19:30", {**CARD, "total": 91.7}, str(bot))
    drawn = []
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", lambda fig, out: drawn.append(fig))
    compare_figure(records, "li", None, tmp_path / "c.png", "zh-CN")
    left, right = drawn[0].axes
    low, high = left.get_xlim()
    assert [t for t in left.get_xticks() if low <= t <= high] == [1]  # not 0.96 … 1.04
    assert all(float(t).is_integer() for t in right.get_yticks())  # no 0.25 of a drill
    assert right.get_title() == "小型演练全部演练（n = 1）"  # the bot's log is not counted
    assert any("专家机器人" in t.get_text() for t in right.get_legend().get_texts())
    records.close()


def test_a_bots_drill_is_reported_as_the_bots_whatever_trainee_is_named(crafted):
    import dataclasses

    drill = crafted([sample(0.0, people={"unaware": 1500}), (240.0, "DrillEnded", {})])
    bots = dataclasses.replace(drill, header={**drill.header, "driver": "expert"})
    card = score_drill(bots, PARTS)
    for lang, said in (("en", "expert bot (a bot played this drill"), ("zh-CN", "专家机器人（")):
        page = build_report(bots, card, lang, {"trainee": "trial-instructor"})
        assert said in page and "trial-instructor" not in page
        assert "trial-instructor" in build_report(
            drill, card, lang, {"trainee": "trial-instructor"}
        )
