"""Every bad input at the command line is one line naming the file and what is wrong, exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main as analysis_main
from sim.bots import IdleBot
from sim.cli import main as sim_main
from sim.runner import run_headless
from tests.conftest import MINI, ROOT


@pytest.fixture(scope="module")
def good_log(tmp_path_factory, mini) -> Path:
    log = tmp_path_factory.mktemp("logs") / "good.jsonl"
    run_headless(mini, 3, IdleBot(), log, until_min=20)
    return log


def _variant(good_log: Path, tmp_path: Path, header: dict | None = None, lines: list | None = None):
    original = good_log.read_text(encoding="utf-8").splitlines()
    head = json.loads(original[0])
    if header is not None:
        head = {k: v for k, v in {**head, **header}.items() if v is not _DROP}
    rest = original[1:] if lines is None else lines
    path = tmp_path / "variant.jsonl"
    path.write_text("\n".join([json.dumps(head), *rest]) + "\n", encoding="utf-8")
    return path


_DROP = object()


def _one_clean_line(capsys) -> str:
    _out, err = capsys.readouterr()
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ({"seed": _DROP}, ":1: the header has no seed"),
        ({"seed": "abc"}, ":1: the header's seed 'abc' is not a whole number"),
        ({"seed": -5}, ":1: the header's seed -5 is out of range"),
        ({"seed": 2**63}, ":1: the header's seed 9223372036854775808 is out of range"),
    ],
)
def test_a_log_header_with_a_bad_seed_is_named(good_log, tmp_path, capsys, header, expected):
    log = _variant(good_log, tmp_path, header=header)
    assert sim_main(["replay", str(log), "--verify"]) == 2
    assert _one_clean_line(capsys) == f"{log}{expected}" + _rest(expected)
    assert analysis_main(["report", str(log), "--out", str(tmp_path / "r"), "--no-record"]) == 2
    assert f"{log}{expected}" in _one_clean_line(capsys)
    assert not (tmp_path / "r" / "score.json").exists()


def _rest(expected: str) -> str:
    return " (0 to 2^63 - 1)" if expected.endswith("out of range") else ""


def test_a_binary_log_is_named_with_its_line(tmp_path, capsys):
    log = tmp_path / "drill.jsonl"
    log.write_bytes(b'{"format": 1}\n\x93\x00\xff binary')
    assert sim_main(["replay", str(log)]) == 2
    assert _one_clean_line(capsys) == f"{log}:2: not a drill log: byte 0x93 is not UTF-8 text"


def test_an_event_time_that_is_not_a_number_is_named(good_log, tmp_path, capsys):
    lines = good_log.read_text(encoding="utf-8").splitlines()[1:]
    event = json.loads(lines[0])
    event["t"] = "soon"
    log = _variant(good_log, tmp_path, lines=[json.dumps(event), *lines[1:]])
    assert sim_main(["replay", str(log)]) == 2
    assert _one_clean_line(capsys) == f"{log}:2: event time 'soon' is not a finite number"


def test_a_command_that_is_not_a_command_is_named(good_log, tmp_path, capsys):
    lines = good_log.read_text(encoding="utf-8").splitlines()[1:]
    bogus = {"t": 1.0, "event": "CommandIssued", "seq": 1, "command": {"type": "nuke"}}
    log = _variant(good_log, tmp_path, lines=[json.dumps(bogus), *lines])
    assert sim_main(["replay", str(log)]) == 2
    assert _one_clean_line(capsys).startswith(f"{log}:2: not a valid command: ")


def test_a_folder_or_a_missing_file_given_as_a_log(tmp_path, capsys):
    assert sim_main(["replay", str(tmp_path)]) == 2
    assert _one_clean_line(capsys) == f"{tmp_path}: is a folder, not a drill log"
    missing = tmp_path / "gone.jsonl"
    assert analysis_main(["report", str(missing), "--out", str(tmp_path / "r")]) == 2
    assert _one_clean_line(capsys).endswith(
        f"{missing}: cannot read the drill log: No such file or directory"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "drill.yaml"
    os.mkfifo(fifo)
    for args in (["sim", "validate"], ["sim", "replay"]):
        result = subprocess.run(
            [sys.executable, "-m", *args, str(fifo)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
        assert result.returncode in (1, 2)
        assert "is a pipe or device" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["run", str(MINI), "--seed", "a"], "argument --seed: 'a' is not a seed (a whole number)"),
        (["run", str(MINI), "--seed", "-1"], "argument --seed: seed -1 is out of range"),
        (["run", str(MINI), "--seed", str(2**63)], "is out of range (0 to 2^63 - 1)"),
    ],
)
def test_a_bad_seed_on_the_command_line(capsys, argv, expected):
    with pytest.raises(SystemExit) as stopped:
        sim_main(argv)
    assert stopped.value.code == 2
    line = _one_clean_line(capsys)
    assert line.startswith("python -m sim run: ") and expected in line


@pytest.mark.parametrize(
    "argv",
    [
        ["ladder", str(MINI), "--seeds", "a"],
        ["ladder", str(MINI), "--seeds", "1,,2"],
        ["ladder", str(MINI), "--workers", "0"],
        ["report", "x.jsonl", "--out", "r", "--luck-seeds", "5,x"],
    ],
)
def test_bad_numbers_for_the_analysis_are_usage_errors(capsys, argv):
    with pytest.raises(SystemExit) as stopped:
        analysis_main(argv)
    assert stopped.value.code == 2
    assert _one_clean_line(capsys).startswith(f"python -m analysis {argv[0]}: argument --")


def test_an_output_that_cannot_be_written_is_named_before_the_drill(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "drill.jsonl"  # a folder that is a file
    assert sim_main(["run", str(MINI), "--out", str(out)]) == 2
    assert (
        _one_clean_line(capsys) == f"{blocker}: the folder of the drill log is a file, not a folder"
    )
    assert sim_main(["run", str(MINI), "--out", str(tmp_path)]) == 2
    assert _one_clean_line(capsys) == f"{tmp_path}: is a folder; give a file name for the drill log"
    assert sim_main(["schema", "--out", str(out)]) == 2
    assert _one_clean_line(capsys).startswith(f"{blocker}: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]  # nothing half-written


def test_db_naming_a_folder_or_another_file(good_log, tmp_path, capsys):
    argv = ["report", str(good_log), "--out", str(tmp_path / "r"), "--db"]
    assert analysis_main([*argv, str(tmp_path)]) == 2
    assert (
        _one_clean_line(capsys) == f"error: {tmp_path}: --db names a folder; give the database file"
    )
    assert analysis_main([*argv, str(good_log)]) == 2
    assert "is not a records database" in _one_clean_line(capsys)
    assert (
        analysis_main(
            ["compare", "--trainee", "a", "--out", str(tmp_path / "c"), "--db", str(tmp_path)]
        )
        == 2
    )
    assert "--db names a folder" in _one_clean_line(capsys)
    assert not (tmp_path / "r").exists() and not (tmp_path / "c").exists()


def test_a_scenario_that_is_a_folder_or_missing(tmp_path, capsys):
    assert sim_main(["run", str(tmp_path)]) == 2
    assert _one_clean_line(capsys) == f"{tmp_path}:1:1: is a folder, not a scenario file"
    assert analysis_main(["ladder", str(tmp_path / "none.yaml")]) == 2
    assert "none.yaml: cannot read the scenario file" in _one_clean_line(capsys)


@pytest.mark.parametrize("seed", [-1, 2**63, "7"])
def test_the_records_database_refuses_a_drill_seed_it_cannot_keep(tmp_path, seed):
    from analysis.records import Records

    records = Records(tmp_path / "records.sqlite")
    card = {"scenario_id": "x", "scenario_hash": "sha256:x", "seed": seed, "total": 50.0}
    card |= {"process_score": 50.0, "outcome": {"score": 50.0}}
    with pytest.raises(ValueError, match="out of range for the records"):
        records.add_drill("trainee", "2026-11-30 15:00", card, "drill.jsonl")
    assert records.drills_of("trainee") == []
    records.close()


def test_resume_names_a_missing_file_a_folder_and_a_bot_it_does_not_know(
    good_log, tmp_path, capsys
):
    assert sim_main(["resume", str(tmp_path / "gone.jsonl")]) == 2
    assert _one_clean_line(capsys).endswith("cannot read the drill log: No such file or directory")
    assert sim_main(["resume", str(tmp_path)]) == 2
    assert _one_clean_line(capsys) == f"{tmp_path}: is a folder, not a drill log"
    with pytest.raises(SystemExit) as stop:
        sim_main(["resume", str(good_log), "--bot", "genius"])
    assert stop.value.code == 2
    assert "invalid choice: 'genius'" in _one_clean_line(capsys)
    log = _variant(good_log, tmp_path, header={"driver": "genius"})
    assert sim_main(["resume", str(log)]) == 2
    assert _one_clean_line(capsys) == f"{log}:1: the log's bot 'genius' is not one of idle, expert"


def test_run_says_which_injects_never_fired(capsys):
    from sim.cli import _print_outcome
    from sim.scenario.loader import load_scenario

    loaded = load_scenario(MINI)
    stopped = run_headless(loaded, 7, IdleBot(), until_min=20)
    _print_outcome(stopped)
    assert "injects fired 1 of 4; never fired: fire, storm, calm" in capsys.readouterr().out
    assert sim_main(["run", str(MINI)]) == 0
    assert "injects fired 4 of 4\n" in capsys.readouterr().out


def test_validate_speaks_chinese_when_asked(tmp_path, capsys):
    from tests.conftest import MINI

    bad = tmp_path / "typo.yaml"
    bad.write_text(MINI.read_text(encoding="utf-8").replace("population:", "populaton:", 1),
                   encoding="utf-8")  # fmt: skip
    assert sim_main(["validate", str(bad), "--lang", "zh-CN"]) == 1
    zh = capsys.readouterr().err
    assert "未知的键" in zh and "population" in zh and str(bad) in zh
    assert sim_main(["validate", str(bad)]) == 1
    assert "unknown key" in capsys.readouterr().err  # English by default
