"""The input-level player (ui.autoplay): the expert's decisions given on the drill screen.

The first half hour of the chlorine drill is played by posted mouse and key
events only; every decision the expert bot takes must reach the engine,
accepted, exactly as the bot gave it through the API, at the same minute and
in the same order, and the drill must end where the player ended it. A
decision the screen does not offer is reported by name and fails the run.
A unit the map draws only as part of a stack's "+N" chip, or whose icon lies
under the critical banner, is still selected the way a person would: through
the chip's chooser, or by moving the map until the icon shows.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from sim import (
    DispatchUnit,
    MoveSupplies,
    SupplyItem,
    load_scenario,
    make_bot,
    read_log,
    run_headless,
)
from ui.autoplay import Autoplayer, autoplay, plain
from ui.scenes.drill import DrillScene
from ui.scripted import Person

CHLORINE = Path(__file__).resolve().parents[2] / "scenarios" / "chlorine_leak.yaml"
HALF_HOUR = 30.0


def orders(events: list) -> list[tuple[float, dict]]:
    """(minute, command without its issuer) of every order a drill received."""
    return [(e.t_min, plain(dict(e.data["command"]))) for e in events if e.kind == "CommandIssued"]


def test_the_expert_plays_the_chlorine_drills_first_half_hour_through_the_screen(app, tmp_path):
    loaded = load_scenario(CHLORINE)
    seed = loaded.scenario.meta.default_seed
    log = tmp_path / "autoplay.jsonl"
    scene = DrillScene(app, loaded, seed, log_path=log)
    app.switch(scene)
    bot = make_bot("expert", loaded.scenario)
    outcome = Autoplayer(app, scene, bot, until_min=HALF_HOUR).play()

    assert [failure.line() for failure in outcome.failures] == []
    assert outcome.decided == outcome.carried > 20
    api = run_headless(loaded, seed, make_bot("expert", loaded.scenario), until_min=HALF_HOUR)
    expected = orders(api.events)
    _, events = read_log(log)
    issued = [e for e in events if e.kind == "CommandIssued"]
    assert orders(issued) == expected
    assert all(e.data["accepted"] for e in issued)
    assert {e.data["command"]["issuer"] for e in issued} == {"commander"}  # the screen's voice
    kinds = {command["type"] for _, command in expected}
    assert {"dispatch", "warn", "shelter_in_place", "report_upward", "set_response_level"} <= kinds
    assert events[-1].kind == "DrillAborted" and events[-1].t_min == HALF_HOUR


class OddBot:
    """Asks, at the start, for a load the screen's amount buttons do not offer."""

    name = "odd"

    def __init__(self) -> None:
        self.asked = False

    def decide(self, snapshot: object) -> list:
        if self.asked:
            return []
        self.asked = True
        return [
            MoveSupplies(
                source="depot", destination="west-gym", item=SupplyItem.WATER_L, amount=1234.5
            )
        ]


def test_a_decision_the_screen_cannot_carry_out_is_named_and_never_faked(app, tmp_path):
    loaded = load_scenario(CHLORINE)
    log = tmp_path / "odd.jsonl"
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed, log_path=log)
    app.switch(scene)
    outcome = Autoplayer(app, scene, OddBot(), until_min=2).play()

    assert outcome.carried == 0 and len(outcome.failures) == 1
    failure = outcome.failures[0]
    assert failure.command["type"] == "move_supplies" and failure.why == "no control visible"
    assert "1,234.50 not offered" in failure.detail
    _, events = read_log(log)
    assert not [e for e in events if e.kind == "CommandIssued"]  # nothing else was sent instead


def test_the_player_comes_in_through_the_title_picker_and_briefing(tmp_path):
    out = tmp_path / "walked-in.jsonl"
    outcome = autoplay(CHLORINE, out=out, until_min=3, from_title=True)

    assert outcome.failures == [] and outcome.carried > 0
    loaded = load_scenario(CHLORINE)
    api = run_headless(
        loaded, loaded.scenario.meta.default_seed, make_bot("expert", loaded.scenario), until_min=3
    )
    header, events = read_log(out)
    assert header["seed"] == loaded.scenario.meta.default_seed
    assert orders(events) == orders(api.events)


class OneOrder:
    """Gives one dispatch at its first look at the screen, then nothing."""

    name = "one-order"

    def __init__(self, unit: str, target: str) -> None:
        self.order: list = [DispatchUnit(unit=unit, target=target)]

    def decide(self, snapshot: object) -> list:
        order, self.order = self.order, []
        return order


def drag(person: Person, start: tuple[int, int], end: tuple[int, int]) -> None:
    """Drag the map with the left button from ``start`` to ``end`` (it moves by the same)."""
    person.move(start)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=1))
    person.frames()
    for i in range(1, 5):
        x = start[0] + (end[0] - start[0]) * i // 4
        y = start[1] + (end[1] - start[1]) * i // 4
        pygame.event.post(
            pygame.event.Event(pygame.MOUSEMOTION, pos=(x, y), rel=(0, 0), buttons=(1, 0, 0))
        )
        person.frames(1)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=end, button=1))
    person.frames()


def test_a_unit_hidden_in_a_stack_is_picked_from_the_chips_chooser(app, tmp_path):
    loaded = load_scenario(CHLORINE)
    log = tmp_path / "chip.jsonl"
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed, log_path=log)
    app.switch(scene)
    app.step(0.0)
    marks = scene.map.lay_out(scene.session.snapshot).marks
    assert [m.kind for m in marks if "ambulance-4" in m.ids] == ["more"]  # only the "+2" chip

    outcome = Autoplayer(app, scene, OneOrder("ambulance-4", "city-hospital"), until_min=1).play()

    assert [failure.line() for failure in outcome.failures] == []
    assert outcome.carried == outcome.decided == 1
    _, events = read_log(log)
    sent = [c for _, c in orders(events)]
    assert sent == [{"type": "dispatch", "unit": "ambulance-4", "target": "city-hospital"}]


def test_a_stacked_unit_under_the_critical_banner_is_moved_into_view_not_clicked_through(
    app, tmp_path
):
    loaded = load_scenario(CHLORINE)
    log = tmp_path / "banner.jsonl"
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed, log_path=log)
    app.switch(scene)
    person = Person(app, scene)
    person.run(1)  # the gas has reached the park's staff: a critical line waits in the banner
    for _ in range(3):
        person.key(pygame.K_PLUS)  # close enough in that the map's lower edge can go up top

    def chip() -> pygame.Rect:
        marks = scene.map.lay_out(scene.session.snapshot).marks
        return next(m.rect for m in marks if m.kind == "more" and "ambulance-4" in m.ids)

    for _ in range(3):  # the banner may move off the names the pan brings under it: follow it
        banner = scene.timeline.banner_rect
        assert banner is not None
        start = scene.map.rect.center
        corner = (banner.left + 8, banner.bottom - 6)  # the chip alone under the banner's corner
        drag(
            person,
            start,
            (start[0] + corner[0] - chip().centerx, start[1] + corner[1] - chip().centery),
        )
        if scene.timeline.banner_rect.collidepoint(chip().center):
            break
    assert scene.timeline.banner_rect.collidepoint(chip().center)
    acknowledged = set(scene.timeline.acknowledged)

    bot = OneOrder("ambulance-4", "city-hospital")
    outcome = Autoplayer(app, scene, bot, until_min=2).play()

    assert [failure.line() for failure in outcome.failures] == []
    assert outcome.carried == outcome.decided == 1
    assert scene.timeline.acknowledged == acknowledged  # no click landed on the banner
    _, events = read_log(log)
    sent = [c for _, c in orders(events)]
    assert sent == [{"type": "dispatch", "unit": "ambulance-4", "target": "city-hospital"}]
