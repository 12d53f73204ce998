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
