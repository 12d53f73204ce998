"""A drill is a function of (scenario, seed, commands): same inputs, same log, anywhere."""

from __future__ import annotations

import subprocess
import sys

from sim import ExpertBot, IdleBot, run_headless, verify_log
from sim.cli import main
from tests.conftest import MINI, ROOT


def test_separate_processes_write_byte_identical_logs(tmp_path):
    logs = []
    for name in ("a", "b"):
        out = tmp_path / f"{name}.jsonl"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sim",
                "run",
                str(MINI),
                "--bot",
                "expert",
                "--seed",
                "11",
                "--out",
                str(out),
            ],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        logs.append(out.read_bytes())
    assert logs[0] == logs[1]
    assert len(logs[0].splitlines()) > 50


def test_a_flood_drill_on_two_threads_writes_the_same_log_as_on_one(tmp_path):
    # `python -m sim run --threads 2` must play the drill `--threads 1` plays, to the byte.
    from sim import load_scenario
    from sim.hazards import flood

    loaded = load_scenario(ROOT / "scenarios" / "riverside_flood.yaml")
    logs = []
    for threads in (1, 2):
        before = flood.use_threads(threads)
        try:
            log = tmp_path / f"threads{threads}.jsonl"
            drill = run_headless(loaded, 7, ExpertBot(loaded.scenario), log, until_min=150)
        finally:
            flood.use_threads(before)
        steps = [h.model.substeps_taken for h in drill.hazards.values() if h.kind == "flood"]
        assert steps and steps[0] > 100  # the flood was stepped
        logs.append(log.read_bytes())
    assert logs[0] == logs[1]


def test_different_seeds_play_out_differently(mini, tmp_path):
    a = run_headless(mini, 1, IdleBot(), tmp_path / "a.jsonl")
    b = run_headless(mini, 2, IdleBot(), tmp_path / "b.jsonl")
    assert (tmp_path / "a.jsonl").read_bytes() != (tmp_path / "b.jsonl").read_bytes()
    assert a.population.total == b.population.total


def test_replay_of_a_bot_drill_is_identical(mini, tmp_path):
    log = tmp_path / "drill.jsonl"
    run_headless(mini, 4, ExpertBot(mini.scenario), log)
    result = verify_log(log)
    assert result.identical, (result.first_difference, result.expected, result.got)


def test_replay_names_the_first_line_that_differs(mini, tmp_path, capsys):
    log = tmp_path / "drill.jsonl"
    run_headless(mini, 4, ExpertBot(mini.scenario), log)
    lines = log.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if '"PeopleHospitalised"' in line)
    lines[target] = lines[target].replace('"people":2', '"people":3')
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["replay", str(log), "--verify"]) == 1
    assert f"drill.jsonl:{target + 1}: replay differs" in capsys.readouterr().err


def test_a_log_is_written_line_by_line_with_its_header_first(mini, tmp_path):
    import json

    log = tmp_path / "drill.jsonl"
    run_headless(mini, 4, IdleBot(), log)
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    header = records[0]
    assert header["format"] == "drillcommand-log" and header["seed"] == 4
    assert header["scenario_hash"] == mini.content_hash
    assert records[-1]["event"] == "DrillEnded"
    times = [r["t"] for r in records[1:]]
    assert times == sorted(times)


def test_a_crash_mid_drill_still_ends_the_log_with_drill_aborted(mini, tmp_path):
    import json

    import pytest

    class Crashing:
        name = "crashing"

        def decide(self, snapshot):
            if snapshot.t_min >= 30:
                raise RuntimeError("bot bug")
            return []

    log = tmp_path / "drill.jsonl"
    with pytest.raises(RuntimeError):
        run_headless(mini, 4, Crashing(), log)
    last = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    assert last["event"] == "DrillAborted" and last["t"] == 30.0
    assert verify_log(log).identical
