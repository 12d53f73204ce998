"""The trainee's path: one click one target, release after an order, and no silent order.

Driven as a person plays: posted mouse and key events only (tests.ui.person).
"""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from sim import load_scenario
from ui.scenes.drill import DrillScene
from ui.scripted import Person

CHLORINE = Path(__file__).resolve().parents[2] / "scenarios" / "chlorine_leak.yaml"
WEST = (400.0, 1050.0)
EAST = (1600.0, 1050.0)
SCHOOL = (900.0, 300.0)


@pytest.fixture
def person(app, drill_scene: DrillScene) -> Person:
    someone = Person(app, drill_scene)
    someone.frames()
    return someone


@pytest.fixture
def chlorine(app) -> Person:
    loaded = load_scenario(CHLORINE)
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed)
    app.switch(scene)
    someone = Person(app, scene)
    someone.run(10)  # the leak, the plant staff's casualties and the tank share one point
    return someone


def test_the_hazmat_team_gets_the_leak_where_casualties_share_its_point(chlorine: Person):
    snap = chlorine.scene.session.snapshot
    leak = next(i for i in snap.incidents if i.kind == "leak")
    assert any(i.kind == "casualties" and (i.x, i.y) == (leak.x, leak.y) for i in snap.incidents)
    chlorine.click(chlorine.unit_icon("hazmat_team-1"))
    chlorine.move(chlorine.at(leak.x, leak.y))
    assert "hazmat leak" in (chlorine.scene.hover_text or "")
    chlorine.click(chlorine.at(leak.x, leak.y))
    last = chlorine.issued()[-1]
    assert last["command"] == {
        "issuer": "commander",
        "type": "dispatch",
        "unit": "hazmat_team-1",
        "target": leak.id,
    }
    assert last["accepted"]


def test_overlapping_marks_open_a_chooser_and_the_choice_selects(chlorine: Person):
    snap = chlorine.scene.session.snapshot
    leak = next(i for i in snap.incidents if i.kind == "leak")
    chlorine.click(chlorine.at(leak.x, leak.y))
    labels = chlorine.scene.chooser.labels()
    assert len(labels) == 3  # the leak, the staff's casualties and the tank
    assert any(label.startswith("hazmat leak") for label in labels)
    chlorine.press("casualties")
    assert chlorine.scene.selected is not None
    assert chlorine.scene.selected.kind == "incident"
    assert chlorine.scene.panel.title == "Casualties"
    chlorine.click(chlorine.at(leak.x, leak.y))
    chlorine.key(pygame.K_ESCAPE)
    assert not chlorine.scene.chooser.is_open
    assert chlorine.issued() == []  # choosing and cancelling order nothing


def test_an_incapable_unit_dims_and_never_orders_what_it_cannot_serve(chlorine: Person):
    snap = chlorine.scene.session.snapshot
    school = next(i for i in snap.incidents if i.zone == "xinhua-school")
    chlorine.click(chlorine.unit_icon("hazmat_team-1"))
    chlorine.move(chlorine.at(school.x, school.y))
    assert "cannot" in (chlorine.scene.hover_text or "")
    chlorine.click(chlorine.at(school.x, school.y))
    assert chlorine.issued() == []
    assert chlorine.scene.selected.id == school.id  # selected instead, and it says why
    assert not chlorine.scene.notice.ok and "cannot" in chlorine.scene.notice.text


def test_after_an_order_the_unit_is_released_and_the_next_click_selects(person: Person):
    person.run(11)
    person.click(person.unit_icon("ambulance-1"))
    person.click(person.at(1600.0, 700.0))  # the crash
    assert person.issued()[-1]["accepted"]
    scene = person.scene
    assert scene.selected.id == "ambulance-1" and not scene.armed
    assert "arrives in" in scene.panel.lines[1][0][0]  # its new task and arrival time
    assert scene.notice.ok and "arrives in" in scene.notice.text
    person.click(person.at(*WEST))  # once a refused dispatch; now it selects the zone
    assert len(person.issued()) == 1
    assert scene.selected.kind == "zone"


def test_retasking_a_busy_unit_asks_first_and_no_orders_nothing(person: Person):
    person.run(11)
    person.click(person.unit_icon("ambulance-1"))
    person.click(person.at(1600.0, 700.0))
    person.run(1)
    person.press("Give another order")
    person.click(person.at(*SCHOOL))
    assert person.scene.modal == "order"
    person.key(pygame.K_ESCAPE)
    assert person.scene.modal is None
    assert len(person.issued()) == 1


def test_right_click_releases_the_selection(person: Person):
    person.click(person.unit_icon("fire_engine-1"))
    assert person.scene.armed
    person.click(person.at(*WEST), button=3)
    assert person.scene.selected is None and not person.scene.armed


def test_an_unwarned_zone_says_warn_first_before_the_click(person: Person):
    person.click(person.at(*SCHOOL))
    person.press("Open shelter")
    person.click(person.at(*WEST))
    panel_text = " ".join(words for line in person.scene.panel.lines for words, _ in line)
    notes = " ".join(note[0] for note in person.scene.panel.notes)
    assert "warn first" in (panel_text + notes)
    assert not person.is_enabled("Evacuate → School shelter")
    assert not person.is_enabled("Shelter in place")
    person.press("yellow", exact=True)
    assert person.is_enabled("Evacuate → School shelter")
    assert person.is_enabled("Shelter in place")


def test_a_closed_shelter_is_offered_to_open_then_evacuate_to(person: Person):
    person.click(person.at(*WEST))
    person.press("yellow", exact=True)
    assert "Open School shelter" in person.scene.buttons.labels()
    assert not any(label.startswith("Evacuate") for label in person.scene.buttons.labels())
    person.press("Open School shelter")
    assert person.is_enabled("Evacuate → School shelter")


def test_the_level_in_force_is_marked_and_reinforcements_say_the_level_they_need(person):
    person.key(pygame.K_ESCAPE)
    labels = person.scene.buttons.labels()
    assert "2× rescue boat · level III · 30 min — needs III" in labels
    assert not person.is_enabled("2× rescue boat")
    person.press("III", exact=True)
    assert "● III" in person.scene.buttons.labels()
    assert not person.is_enabled("● III")
    person.press("2× rescue boat")
    assert person.issued()[-1]["accepted"]
    assert not person.is_enabled("2× rescue boat")  # requested: not offered twice


def test_level_one_asks_first(person: Person):
    person.key(pygame.K_ESCAPE)
    person.press("I", exact=True)
    assert person.scene.modal == "order" and person.issued() == []
    person.press("Yes")
    assert person.issued()[-1]["command"]["level"] == "I"


def test_a_report_upward_goes_to_the_chosen_level_and_says_so(person: Person):
    person.key(pygame.K_ESCAPE)
    person.press("To: county")
    person.press("First report")
    last = person.issued()[-1]
    assert last["command"]["to"] == "city" and last["accepted"]
    assert "Update" in person.scene.buttons.labels()
    person.press("Final report")
    assert person.issued()[-1]["command"]["final"] is True


def test_send_buttons_give_arrival_by_road_and_what_the_unit_carries(person: Person):
    person.run(11)
    person.click(person.at(1600.0, 700.0))  # the crash: casualties
    snap = person.scene.session.snapshot
    sends = [label for label in person.scene.buttons.labels() if label.startswith("Send")]
    assert sends and all("km" not in label for label in sends)
    crash = next(i for i in snap.incidents if i.id == "crash")
    first = snap.unit("ambulance-1")
    minutes = round(snap.travel_minutes(first, crash.node))
    assert f"Send ambulance 1 · {minutes} min · carries 2" in sends


def test_a_crowded_zone_panel_still_offers_every_nearest_shelter(app, monkeypatch):
    # The typhoon's zone panel at 03:46 had room for one shelter row, and offered only the
    # nearest: the expert's order to the second shelter could not be given on screen.
    from ui.panel import SidePanel

    loaded = load_scenario(CHLORINE.with_name("typhoon_cascade.yaml"))
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed)
    app.switch(scene)
    someone = Person(app, scene)
    someone.frames()
    monkeypatch.setattr(SidePanel, "rows_left", lambda self: 3)  # a panel nearly full
    someone.click(someone.at(3900.0, 2750.0))  # Riverside Town (low town), off its roads
    someone.press("yellow", exact=True)
    labels = scene.buttons.labels()
    shelters = [f.name.en for f in loaded.scenario.facilities if f.type == "shelter"]
    offered = [label for label in labels if label.startswith(("Open ", "→ ", "Evacuate"))]
    assert len(shelters) == 3 and len(offered) == 3  # one row, short labels: all three
    for name in shelters:  # (a label too long for its share of the row ends in "…")
        assert any(name.startswith(o.split(" ", 1)[1].rstrip("…")) for o in offered), name
