"""A killed drill loses nothing and resumes: a cut log is read to its last whole line, SIGTERM
and Ctrl-C end a drill with DrillAborted and one line, and ``sim resume`` plays it on, the same
drill event for event."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

import sim.cli
from sim import (
    Drill,
    DrillLogWriter,
    ExpertBot,
    LogError,
    OpenShelter,
    integrity,
    make_header,
    resume_drill,
    run_headless,
    verify_log,
)
from sim.cli import main as sim_main
from tests.conftest import MINI


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "drillcommand"


@pytest.fixture
def whole(mini, tmp_path: Path) -> Path:
    """The log of a drill played to its end without a break."""
    path = tmp_path / "whole.jsonl"
    run_headless(mini, 5, ExpertBot(mini.scenario), path)
    return path


def _cut(whole: Path, tmp_path: Path, share: float) -> Path:
    """The log as a kill at ``share`` of its bytes leaves it: the last line cut mid-way."""
    data = whole.read_bytes()
    at = int(len(data) * share)
    assert data[at - 1 : at] != b"\n"
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(data[:at])
    return cut


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_a_log_cut_mid_line_is_read_up_to_its_last_whole_event_with_a_note(whole, tmp_path, capsys):
    cut = _cut(whole, tmp_path, 0.5)
    whole_lines = cut.read_bytes().count(b"\n")
    assert sim_main(["replay", str(cut)]) == 0
    captured = capsys.readouterr()
    assert _one_line(captured.err).startswith(
        f"{cut}:{whole_lines + 1}: the last line is cut off (the drill was stopped while "
        f"writing it); read up to line {whole_lines}, minute "
    )
    minute = captured.err.strip().rsplit(" ", 1)[1]
    assert f"events to minute {minute} (the log has no end)" in captured.out


@pytest.mark.parametrize("share", [0.2, 0.55, 0.97])
def test_a_killed_bot_drill_resumes_to_the_log_an_unbroken_drill_writes(
    whole, tmp_path, capsys, share
):
    cut = _cut(whole, tmp_path, share)
    assert sim_main(["resume", str(cut)]) == 0
    out = capsys.readouterr().out
    assert f"{cut}: resumed with bot expert, played to minute 240" in out
    assert cut.read_bytes() == whole.read_bytes()  # signatures included: the chain goes on


class _Signalling:
    """The expert, which at a minute sends this process a signal (as `kill` or Ctrl-C would)."""

    name = "expert"

    def __init__(self, scenario, at_min: float, signum: int) -> None:
        self.bot, self.at_min, self.signum, self.sent = ExpertBot(scenario), at_min, signum, False

    def decide(self, snapshot):
        if snapshot.t_min >= self.at_min and not self.sent:
            self.sent = True
            os.kill(os.getpid(), self.signum)
        return self.bot.decide(snapshot)


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_ctrl_c_end_sim_run_with_drill_aborted_and_one_line(
    whole, tmp_path, monkeypatch, capsys, signum, status
):
    log = tmp_path / "stopped.jsonl"
    make_bot = sim.cli.make_bot
    monkeypatch.setattr(sim.cli, "make_bot", lambda name, s: _Signalling(s, 60, signum))
    assert sim_main(["run", str(MINI), "--seed", "5", "--out", str(log)]) == status
    name = signal.Signals(signum).name
    assert _one_line(capsys.readouterr().err) == (
        f"{name}: drill stopped at minute 61, DrillAborted written to its log; resume it "
        f"with: python -m sim resume {log}"
    )
    last = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    assert (last["event"], last["t"]) == ("DrillAborted", 61.0)
    assert signal.getsignal(signum) in (signal.default_int_handler, signal.SIG_DFL)

    monkeypatch.setattr(sim.cli, "make_bot", make_bot)
    assert sim_main(["resume", str(log)]) == 0
    assert "the drill was stopped at minute 61" in capsys.readouterr().err
    assert log.read_bytes() == whole.read_bytes()


def test_resume_refuses_a_changed_log_and_leaves_it_untouched(whole, tmp_path, capsys):
    cut = _cut(whole, tmp_path, 0.5)
    lines = cut.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].replace('"t":', '"t": ', 1)
    cut.write_text("\n".join(lines), encoding="utf-8")
    before = cut.read_bytes()
    assert sim_main(["resume", str(cut)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "the last line is cut off" in err
    assert (
        err.strip()
        .splitlines()[-1]
        .startswith(f"{cut}:4: its MAC does not follow from the line before: the log was changed")
    )
    assert cut.read_bytes() == before


def test_resume_of_a_finished_drill_says_there_is_nothing_to_resume(whole, capsys):
    assert sim_main(["resume", str(whole)]) == 2
    assert _one_line(capsys.readouterr().err) == (
        f"{whole}: the drill ended at minute 240: nothing to resume"
    )


def _game_log(mini, path: Path, until_min: float) -> None:
    """A drill as the game writes it (no bot named): one order at minute 7, killed mid-way."""
    writer = DrillLogWriter(path, make_header(mini, 5))
    drill = Drill(mini, 5, listeners=[writer.write])
    drill.advance(7.25)
    drill.submit(OpenShelter(shelter=mini.scenario.facilities[-1].id))
    drill.advance(until_min)
    writer.close()


def test_a_game_log_names_no_bot_so_sim_resume_asks_for_one(mini, tmp_path, capsys):
    log = tmp_path / "game.jsonl"
    _game_log(mini, log, 30)
    assert sim_main(["resume", str(log)]) == 2
    assert _one_line(capsys.readouterr().err) == (
        f"{log}: the log names no bot (it was played in the game): give --bot idle or expert "
        "to play it on headless, or resume it in the game"
    )
    assert sim_main(["resume", str(log), "--bot", "idle"]) == 0
    assert verify_log(log).identical


def test_a_trainee_drill_is_rebuilt_from_its_commands_and_its_log_goes_on(mini, tmp_path):
    log = tmp_path / "game.jsonl"
    _game_log(mini, log, 42.5)
    last = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])["t"]
    resumed = resume_drill(log)
    assert resumed.drill.now == last
    resumed.drill.advance(resumed.drill.end_min)
    resumed.close()
    assert verify_log(log).identical
    lines = log.read_text(encoding="utf-8").splitlines()
    key = integrity.installation_key()
    assert integrity.check_chain(lines, json.loads(lines[0])["key_id"], key).intact
    assert sum('"CommandIssued"' in line for line in lines) == 1
    assert json.loads(lines[-1])["event"] == "DrillEnded"


def test_an_unsigned_log_cannot_be_resumed(whole, tmp_path):
    bodies = [json.loads(integrity.body(line)) for line in whole.read_text().splitlines()][:40]
    bodies[0]["format_version"] = 1
    del bodies[0]["key_id"]
    old = tmp_path / "old.jsonl"
    old.write_text("\n".join(json.dumps(b) for b in bodies) + "\n", encoding="utf-8")
    with pytest.raises(LogError, match=r"an unsigned log .* cannot be resumed"):
        resume_drill(old)


def test_a_log_the_drill_does_not_rebuild_to_is_refused_naming_the_line(
    whole, tmp_path, data_home, capsys
):
    cut = _cut(whole, tmp_path, 0.6)
    lines = cut.read_text(encoding="utf-8").split("\n")[:-1]  # the whole lines
    target = next(i for i, line in enumerate(lines) if '"StateSampled"' in line and i > 10)
    bodies = [integrity.body(line) for line in lines]
    bodies[target] = bodies[target].replace('"t":', '"t":1', 1)  # signed by a key holder
    chain = integrity.Chain((data_home / "drill-log.key").read_bytes())
    cut.write_text("\n".join(chain.sign(b) for b in bodies) + "\n", encoding="utf-8")
    before = cut.read_bytes()
    assert sim_main(["resume", str(cut)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{cut}:{target + 1}: the drill does not rebuild to what the log says here" in err
    assert cut.read_bytes() == before
