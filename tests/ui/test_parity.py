"""Parity: every order a commander may give has a control on the drill screen.

Each commander command type of sim.commands (all but the instructor's) is
given by a person's path: mouse clicks and key presses posted as events,
looking only where the screen draws things. The test then checks that the
command reached the engine and was accepted. A new command type without a
path here fails the first test, so a control is added with the command.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import get_args

import pytest

from sim import commands as c
from ui.scenes.drill import DrillScene
from ui.scripted import Person

WEST = (400.0, 1050.0)  # a point inside West Village
SCHOOL = (900.0, 300.0)  # the school shelter
DEPOT = (100.0, 650.0)
NORTH_ROAD = (1000.0, 450.0)
CRASH = (1600.0, 700.0)  # the crash inject's casualties (minute 10)


def commander_commands() -> list[type]:
    union = get_args(c.Command)[0]
    return [kind for kind in get_args(union) if kind not in c.INSTRUCTOR_ONLY]


def dispatch(person: Person) -> None:
    person.run(11)
    person.click(person.unit_icon("ambulance-1"))
    person.click(person.at(*CRASH))


def recall(person: Person) -> None:
    dispatch(person)
    person.press("Recall")


def warn(person: Person) -> None:
    person.click(person.at(*WEST))
    person.press("orange", exact=True)


def open_shelter(person: Person) -> None:
    person.click(person.at(*SCHOOL))
    person.press("Open shelter")


def close_shelter(person: Person) -> None:
    open_shelter(person)
    person.press("Close shelter")


def evacuate(person: Person) -> None:
    open_shelter(person)
    warn(person)
    person.press("Evacuate → School shelter")


def shelter_in_place(person: Person) -> None:
    warn(person)
    person.press("Shelter in place")


def all_clear(person: Person) -> None:
    shelter_in_place(person)
    person.run(5)
    person.press("All clear")


def move_supplies(person: Person) -> None:
    person.click(person.at(*DEPOT))
    person.press("Send to…")
    person.press("Send to School shelter")


def set_level(person: Person) -> None:
    person.key(27)  # Esc: nothing selected, the drill-wide orders show
    person.press("III", exact=True)


def reinforce(person: Person) -> None:
    set_level(person)
    person.press("2× rescue boat")


def close_road(person: Person) -> None:
    person.click(person.at(*NORTH_ROAD))
    person.press("Close road")


def open_road(person: Person) -> None:
    close_road(person)
    person.press("Reopen road")


def report(person: Person) -> None:
    person.key(27)
    person.press("First report")


PATHS: dict[type, Callable[[Person], None]] = {
    c.DispatchUnit: dispatch,
    c.RecallUnit: recall,
    c.IssueWarning: warn,
    c.OrderEvacuation: evacuate,
    c.OrderShelterInPlace: shelter_in_place,
    c.LiftShelterInPlace: all_clear,
    c.OpenShelter: open_shelter,
    c.CloseShelter: close_shelter,
    c.MoveSupplies: move_supplies,
    c.SetResponseLevel: set_level,
    c.RequestReinforcement: reinforce,
    c.CloseRoad: close_road,
    c.OpenRoad: open_road,
    c.ReportUpward: report,
}


def test_every_commander_command_has_a_path_on_the_screen():
    missing = [kind.__name__ for kind in commander_commands() if kind not in PATHS]
    assert missing == [], f"no control on the drill screen for {missing}"


@pytest.mark.parametrize("kind", commander_commands(), ids=lambda k: k.__name__)
def test_a_person_gives_the_order_with_mouse_and_keys(kind: type, app, drill_scene: DrillScene):
    path = PATHS.get(kind)
    assert path is not None, f"no control on the drill screen for {kind.__name__}"
    person = Person(app, drill_scene)
    person.frames()
    path(person)
    literal = kind.model_fields["type"].default
    given = [r for r in person.issued() if r["command"]["type"] == literal]
    assert given, f"{kind.__name__} never reached the engine"
    assert given[-1]["accepted"], given[-1]
    assert all(r["accepted"] for r in person.issued()), "a control led to a refused order"
