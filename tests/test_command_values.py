"""Commands are checked like files: a number that is not finite or out of range is refused."""

from __future__ import annotations

import json
import math

import pytest
from pydantic import ValidationError

from sim import commands as c
from sim.drill_log import DrillLogWriter, make_header
from sim.engine import Drill
from sim.runner import verify_log

AMOUNTS = [math.nan, math.inf, -math.inf, 0.0, -5.0, 1e300]


@pytest.mark.parametrize("amount", AMOUNTS)
def test_a_supply_move_with_an_unusable_amount_cannot_be_made(amount):
    with pytest.raises(ValidationError):
        c.MoveSupplies(source="a", destination="b", item="water_l", amount=amount)


@pytest.mark.parametrize(
    ("speed", "direction"), [(math.nan, 90.0), (math.inf, 90.0), (5.0, math.nan), (80.0, 0.0)]
)
def test_a_wind_shift_with_an_unusable_number_cannot_be_made(speed, direction):
    with pytest.raises(ValidationError):
        c.ShiftWind(issuer="instructor", wind_speed_m_per_s=speed, wind_from_deg=direction)


def _bypassed() -> list[c.Command]:
    """Commands built around validation, as a careless client might."""
    move = c.MoveSupplies(source="depot", destination="shelter", item="water_l", amount=100.0)
    wind = c.ShiftWind(issuer="instructor", wind_speed_m_per_s=3.0, wind_from_deg=90.0)
    return [
        move.model_copy(update={"amount": math.nan}),
        move.model_copy(update={"amount": math.inf}),
        move.model_copy(update={"amount": -1.0}),
        wind.model_copy(update={"wind_speed_m_per_s": -math.inf}),
        wind.model_copy(update={"wind_from_deg": 720.0}),
        c.RecallUnit(unit="x").model_copy(update={"unit": "bad\ud800"}),
        c.RecallUnit(unit="x").model_copy(update={"unit": "u" * 10_000}),
    ]


def test_commands_built_around_validation_are_refused_and_the_log_still_replays(mini, tmp_path):
    log = tmp_path / "drill.jsonl"
    writer = DrillLogWriter(log, make_header(mini, 7))
    drill = Drill(mini, 7, listeners=[writer.write])
    drill.advance(5.0)
    results = [drill.submit(command) for command in _bypassed()]
    drill.advance(10.0)
    drill.finish(aborted=True)
    writer.close()
    assert [r.reason for r in results] == [c.Reason.BAD_VALUE] * len(results)
    drill.check_invariants()  # people and supplies conserved
    lines = log.read_text(encoding="utf-8").splitlines()
    issued = [json.loads(line) for line in lines if '"CommandIssued"' in line]
    assert [e["command"].get("amount") for e in issued[:3]] == ["NaN", "Infinity", -1.0]
    assert verify_log(log).identical


def test_every_refusal_reason_is_translated():
    from ui.i18n import load_table

    for lang in ("en", "zh-CN"):
        table = load_table(lang)
        assert f"reason.{c.Reason.BAD_VALUE.value}" in table
