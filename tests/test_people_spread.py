"""A warning spreads through a zone as sim.people's expectation of it says.

The score's "achievable" share (analysis/achievable.py) is built on
:func:`sim.people.expected_warned_share`; these run the engine's own warning
process on a zone large enough that chance hardly moves it, and hold the two
together minute by minute, for each channel alone and both at once. A change
to how the engine spreads a warning (its delay, steps, reach) that the
expectation does not follow fails here.
"""

from __future__ import annotations

import pytest
import yaml

from sim import Drill
from sim.commands import Channel, IssueWarning, WarningLevel
from sim.people import CHANNELS, expected_warned_share
from sim.population import PersonState
from tests.conftest import MINI, mini_with

PEOPLE = 200_000  # binomial noise on a share: at most 0.0012 (one standard deviation)
TOLERANCE = 0.006  # five of those; a minute's shift in any channel moves the share 0.05+


def _big_west(vulnerable_share: float) -> Drill:
    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    west = {**data["zones"][0], "population": PEOPLE, "vulnerable_share": vulnerable_share}
    return Drill(mini_with(zones=[west, data["zones"][1]], injects=[]), 3)


@pytest.mark.parametrize("vulnerable_share", [0.0, 0.25, 0.8])
@pytest.mark.parametrize(
    "channels", [(Channel.SMS,), (Channel.BROADCAST,), (Channel.BROADCAST, Channel.SMS)]
)
def test_a_zone_hears_a_warning_as_fast_as_the_score_expects(
    vulnerable_share: float, channels: tuple[Channel, ...]
) -> None:
    drill = _big_west(vulnerable_share)
    for channel in channels:
        order = IssueWarning(zone="west", level=WarningLevel.RED, channel=channel)
        assert drill.submit(order).accepted
    last = max(CHANNELS[c].delay_min + CHANNELS[c].spread_min for c in channels) + 3
    for minute in range(int(last) + 1):
        drill.advance(minute + 0.5)  # every step at this minute taken
        heard = 1.0 - drill.population.count(0, PersonState.UNAWARE) / PEOPLE
        expected = expected_warned_share(vulnerable_share, minute, channels)
        assert heard == pytest.approx(expected, abs=TOLERANCE), (minute, heard, expected)
    assert heard > 0.3  # it did spread: the comparison was not of two zeros
