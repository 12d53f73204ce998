"""Logs show tampering: a keyed hash chain on every line, checked by replay --verify and the report,
which refuses to score a changed, empty or unreproducible log and records only signed ones."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from analysis.cli import main as analysis_main
from analysis.log_check import check_scoreable
from analysis.records import Records
from sim import ExpertBot, integrity, load_scenario, parse_scenario, run_headless
from sim.cli import main as sim_main
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The installation's key and records live in a temporary data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "drillcommand"


@pytest.fixture
def log(mini, tmp_path: Path) -> Path:
    path = tmp_path / "drill.jsonl"
    run_headless(mini, 4, ExpertBot(mini.scenario), path)
    return path


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _resign(path: Path, bodies: list[str], key: bytes) -> Path:
    """What someone holding the key could write."""
    chain = integrity.Chain(key)
    return _write(path, [chain.sign(body) for body in bodies])


def _report(log: Path, tmp_path: Path, *extra: str) -> int:
    db = tmp_path / "records.sqlite"
    return analysis_main(
        ["report", str(log), "--out", str(tmp_path / "r"), "--db", str(db), *extra]
    )


def _recorded(tmp_path: Path) -> list[float]:
    records = Records(tmp_path / "records.sqlite")
    try:
        return [r.total for r in records.every_drill()]  # the expert's log: a bot's, kept apart
    finally:
        records.close()


def test_the_key_is_made_on_first_use_beside_the_records_readable_by_its_owner_only(log, data_home):
    key_file = data_home / "drill-log.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_home.stat().st_mode) == 0o700
    assert (data_home / "records.sqlite").parent == key_file.parent
    header = json.loads(_lines(log)[0])
    assert header["format_version"] == 2
    assert header["key_id"] == integrity.key_id(key_file.read_bytes())
    assert all(integrity.split(line)[1] for line in _lines(log)), "every line carries its MAC"


def test_replay_verify_names_the_first_line_that_does_not_follow(log, capsys):
    lines = _lines(log)
    target = next(i for i, line in enumerate(lines) if '"CommandIssued"' in line)
    lines[target] = lines[target].replace('"accepted":true', '"accepted":false')
    _write(log, lines)
    assert sim_main(["replay", str(log), "--verify"]) == 1
    err = capsys.readouterr().err
    assert f"{log}:{target + 1}: its MAC does not follow from the line before" in err
    assert "Traceback" not in err


def test_replay_without_verify_replays_and_checks_nothing(log, capsys):
    lines = _lines(log)
    lines[5] = lines[5].replace('"t":', '"t": ', 1)  # a change the chain sees
    _write(log, lines)
    assert sim_main(["replay", str(log)]) == 0
    out = capsys.readouterr().out
    assert f"{log}: replayed" in out and "identical" not in out and "signed" not in out
    assert sim_main(["replay", str(log), "--verify"]) == 1


def test_an_intact_log_verifies_with_its_signatures(log, capsys):
    assert sim_main(["replay", str(log), "--verify"]) == 0
    out = capsys.readouterr().out
    assert "signed here, every line follows from the one before" in out
    assert "replay identical" in out


def test_the_report_refuses_a_forged_outcome_and_records_nothing(log, tmp_path, capsys):
    lines = _lines(log)
    lines[-1] = lines[-1].replace('"dead":0', '"dead":-0', 1).replace('"hospitalised":', '"x":', 1)
    _write(log, lines)
    assert _report(log, tmp_path) == 2
    err = capsys.readouterr().err
    assert f"{log}:{len(lines)}: its MAC does not follow" in err and "is not scored" in err
    assert not (tmp_path / "r" / "score.json").exists()
    assert _recorded(tmp_path) == []


def test_the_report_refuses_a_forgery_signed_with_the_key_because_it_does_not_replay(
    log, tmp_path, data_home, capsys
):
    bodies = [integrity.body(line) for line in _lines(log)]
    end = json.loads(bodies[-1])
    end["unmet_need_person_h"] = 0.0  # no one went without water, food or shelter
    bodies[-1] = json.dumps(end, ensure_ascii=False, separators=(",", ":"))
    _resign(log, bodies, (data_home / "drill-log.key").read_bytes())
    assert _report(log, tmp_path) == 2
    err = capsys.readouterr().err
    assert f"{log}:{len(bodies)}: the log does not reproduce" in err and "Not scored" in err
    assert _recorded(tmp_path) == []


def test_the_report_refuses_a_log_with_nothing_but_its_header(log, tmp_path, capsys):
    _write(log, _lines(log)[:1])
    assert _report(log, tmp_path) == 2
    assert f"{log}: the log has no events, only its header" in capsys.readouterr().err
    assert _recorded(tmp_path) == []


def test_the_report_refuses_a_log_whose_scenario_text_no_longer_matches_its_hash(
    log, tmp_path, data_home, capsys
):
    bodies = [integrity.body(line) for line in _lines(log)]
    header = json.loads(bodies[0])
    header["scenario_yaml"] = header["scenario_yaml"].replace("population: 900", "population: 9")
    bodies[0] = json.dumps(header, ensure_ascii=False, separators=(",", ":"))
    _resign(log, bodies, (data_home / "drill-log.key").read_bytes())
    assert _report(log, tmp_path) == 2
    err = capsys.readouterr().err
    assert f"{log}:1: the scenario text in the header does not match its hash" in err
    assert _recorded(tmp_path) == []


def test_a_signed_log_is_scored_and_recorded(log, tmp_path, capsys):
    assert _report(log, tmp_path) == 0
    out = capsys.readouterr().out
    # The log is the expert bot's: recorded, and said to be kept apart from the trainees'.
    assert out.strip().endswith("recorded as a bot's drill, not a trainee's")
    assert len(_recorded(tmp_path)) == 1


def test_an_unsigned_old_log_replays_and_is_scored_but_not_recorded(log, tmp_path, capsys):
    bodies = [json.loads(integrity.body(line)) for line in _lines(log)]
    bodies[0]["format_version"] = 1
    del bodies[0]["key_id"]
    _write(log, [json.dumps(b, ensure_ascii=False, separators=(",", ":")) for b in bodies])
    assert sim_main(["replay", str(log), "--verify"]) == 0
    assert "unsigned (a log written before logs were signed)" in capsys.readouterr().out
    assert _report(log, tmp_path) == 0
    captured = capsys.readouterr()
    assert "an unsigned log (written before logs were signed): scored, not recorded" in captured.err
    assert "not recorded" in captured.out and (tmp_path / "r" / "score.json").exists()
    assert _recorded(tmp_path) == []


def test_a_log_signed_at_another_installation_is_named_and_not_recorded(
    log, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "elsewhere"))
    assert sim_main(["replay", str(log), "--verify"]) == 0
    assert "signed at another installation" in capsys.readouterr().out
    assert _report(log, tmp_path) == 0
    assert "signed at another installation" in capsys.readouterr().err
    assert _recorded(tmp_path) == []


def test_a_log_from_another_version_of_a_shipped_scenario_is_named_as_such(tmp_path):
    shipped = ROOT / "scenarios" / "chlorine_leak.yaml"
    text = shipped.read_text(encoding="utf-8").replace("default_seed:", "default_seed:  ", 1)
    older = parse_scenario(text, "chlorine_leak.yaml")
    assert older.content_hash != load_scenario(shipped).content_hash
    log = tmp_path / "old.jsonl"
    run_headless(older, 1, ExpertBot(older.scenario), log, until_min=2)
    trust = check_scoreable(log, replay=False)
    assert any("played on another version of scenario 'chlorine-leak'" in n for n in trust.notes)


def test_a_cut_off_log_is_not_scored_until_it_is_resumed(log, tmp_path, capsys):
    data = log.read_bytes()
    log.write_bytes(data[: len(data) // 2])
    assert _report(log, tmp_path) == 2
    err = capsys.readouterr().err
    assert "the drill has no end" in err and "python -m sim resume" in err
    assert _recorded(tmp_path) == []


def test_the_debrief_does_not_score_a_changed_log(log, tmp_path):
    from ui.scoring_job import ScoringJob

    lines = _lines(log)
    lines[3] = lines[3].replace('"t":', '"t": ', 1)
    _write(log, lines)
    job = ScoringJob(log, "en", "alice", db=tmp_path / "records.sqlite")
    job.start()
    assert job.join(60)
    assert job.card is None
    assert job.error is not None and job.error[0] == "debrief.score_bad_log"
    assert "drill.jsonl:4: its MAC does not follow" in job.error[1]


def test_a_key_file_that_is_not_a_key_is_named(log, data_home, capsys):
    (data_home / "drill-log.key").write_bytes(b"short")
    assert sim_main(["replay", str(log), "--verify"]) == 2
    err = capsys.readouterr().err
    assert "drill-log.key: not a drill-log key (5 bytes, not 32)" in err


def test_a_header_stripped_of_its_key_id_does_not_pass_for_an_unsigned_log(log, capsys):
    lines = _lines(log)
    header = json.loads(integrity.body(lines[0]))
    del header["key_id"]
    lines[0] = json.dumps(header, ensure_ascii=False, separators=(",", ":"))
    _write(log, lines)
    assert sim_main(["replay", str(log), "--verify"]) == 1
    assert f"{log}:1: the header names no key, yet lines are signed" in capsys.readouterr().err
