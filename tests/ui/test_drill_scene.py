"""The command screen, driven by scripted input: orders reach the engine and its log."""

from __future__ import annotations

import json

import pygame

from tests.ui.conftest import click, key
from ui import input as intents
from ui.targets import plan_click


def log_records(scene) -> list[dict]:
    lines = scene.session.log_path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[1:]]


def test_select_a_unit_then_click_an_incident_dispatches_it_and_logs_it(app, drill_scene):
    scene = drill_scene
    scene.session.set_speed(6)
    for _ in range(120):  # the crash inject fires at minute 10
        scene.session.tick(1.0, budget_s=5.0)
        if scene.session.snapshot.incidents:
            break
    incident = scene.session.snapshot.incidents[0]
    app.step(1 / 60)
    ambulance = next(u for u in scene.session.snapshot.units if u.type == "ambulance")
    click(app, scene.map.unit_screen_positions(scene.session.snapshot)[ambulance.id])
    assert scene.selected == intents.Select("unit", ambulance.id)
    click(app, scene.map.camera.to_screen(incident.x, incident.y))
    assert scene.last_result is not None and scene.last_result.accepted
    issued = [r for r in log_records(scene) if r["event"] == "CommandIssued"]
    assert issued[-1]["command"] == {
        "issuer": "commander",
        "type": "dispatch",
        "unit": ambulance.id,
        "target": incident.id,
    }
    assert issued[-1]["accepted"] is True


def test_an_impossible_order_shows_its_translated_reason_in_the_feed(app, drill_scene):
    scene = drill_scene
    scene.act(intents.Select("facility", "station"))
    result = scene.act(intents.Evacuate("west", "depot"))  # a depot is not a shelter
    assert result is not None and not result.accepted
    assert scene.feed.lines[-1].text.endswith("that is not a shelter")
    assert scene.feed.lines[-1].severity == "bad"


def test_a_rejected_reason_reads_in_chinese_after_switching_language(app, drill_scene):
    app.set_language("zh-CN")
    drill_scene.act(intents.SetShelterOpen("depot", True))
    assert "该设施不是避难场所" in drill_scene.feed.lines[-1].text


def test_keys_pause_and_change_speed(app, drill_scene):
    key(app, pygame.K_SPACE)
    assert drill_scene.session.paused
    key(app, pygame.K_7)
    assert drill_scene.session.speed == 120 and not drill_scene.session.paused


def test_time_advances_in_bounded_slices_and_drawing_changes_nothing(app, drill_scene):
    session = drill_scene.session
    session.set_speed(6)
    app.step(0.25)  # 0.25 s at 120× = 0.5 sim-minutes
    assert 0.49 < session.drill.now <= 0.5
    events = len(session.drill.events)
    for _ in range(3):
        app.draw()
    assert len(session.drill.events) == events and session.drill.now <= 0.5


def test_closing_the_window_asks_first_and_keeps_the_log(app, drill_scene):
    app.dispatch(pygame.event.Event(pygame.QUIT))
    assert app.running and drill_scene.modal == "quit"
    assert drill_scene.modal_buttons.press("Yes")
    assert not app.running
    assert log_records(drill_scene)[-1]["event"] == "DrillAborted"


def test_a_frame_of_the_drill_screen_is_drawn(app, drill_scene, tmp_path):
    drill_scene.act(intents.Select("zone", "west"))
    app.step(1 / 60)
    pygame.image.save(app.screen, str(tmp_path / "drill.png"))
    assert (tmp_path / "drill.png").stat().st_size > 10_000
    assert "Shelter in place [S]" in drill_scene.buttons.labels()


def test_with_a_unit_selected_a_click_on_a_stack_offers_its_units_to_choose_from(drill_scene):
    snap = drill_scene.session.snapshot
    armed, *stacked = snap.units[:3]
    chip = [intents.Select("unit", u.id) for u in stacked]
    plan = plan_click(snap, chip, None, armed, None)
    assert plan.kind == "choose"
    assert [o.thing for o in plan.options] == chip
    # Its own icon alone keeps it selected; its icon in a stack with another still asks.
    alone = plan_click(snap, [intents.Select("unit", armed.id)], None, armed, None)
    assert (alone.kind, alone.thing) == ("select", intents.Select("unit", armed.id))
    mixed = [intents.Select("unit", armed.id), chip[0]]
    assert plan_click(snap, mixed, None, armed, None).kind == "choose"


def test_a_click_on_the_critical_banner_is_not_also_an_order_on_the_map_beneath(drill_scene):
    snap = drill_scene.session.snapshot
    mark = next(m for m in drill_scene.map.lay_out(snap).marks if m.kind == "unit")
    under = mark.rect.center
    assert drill_scene.plan(under).kind in ("select", "choose")  # a unit's mark, nothing over it
    drill_scene.timeline.banner_rect = pygame.Rect(under[0] - 40, under[1] - 10, 80, 20)
    assert drill_scene.plan(under).kind == "nothing"  # the hover promises what the click does
