"""The event timeline: filters, scrolling back through the whole drill, critical events held up.

A levee breach, a hazard reaching a zone where people live and a death stay
in a banner over the map until the trainee acknowledges them (a click on the
banner or Enter), newest first, in both languages; filters show one kind of
line; scrolling back keeps what is read in view while the drill goes on;
only whole entries are drawn.
"""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from sim import Event, load_scenario
from tests.ui.conftest import click, key
from ui.feed import Feed
from ui.i18n import Translator
from ui.names import Names
from ui.scenes.drill import DrillScene
from ui.timeline import Timeline

RIVERSIDE = Path(__file__).resolve().parents[2] / "scenarios" / "riverside_flood.yaml"


def warn_order(zone: str) -> Event:
    command = {"type": "warn", "zone": zone, "level": "orange", "channel": "sms"}
    return Event(3.0, "CommandIssued", {"command": command, "accepted": True})


EVENTS = [
    Event(1.0, "MessageReceived", {"en": "Rain upstream", "zh": "上游降雨", "inject": "forecast"}),
    warn_order("dongwan"),
    Event(5.0, "LeveeBreached", {"hazard": "qing-river", "levee": "town-levee", "cause": "x"}),
    Event(6.0, "HazardMilestone", {"hazard": "qing-river", "kind": "flood",
                                    "milestone": "zone_reached", "zone": "riverside-town"}),
    Event(7.0, "PeopleHarmed", {"zone": "nanpo", "cause": "flood", "dead": 1, "injured": 2,
                                 "trapped": 0}),
    Event(8.0, "PeopleHarmed", {"zone": "nanpo", "cause": "flood", "dead": 2, "injured": 0,
                                 "trapped": 1}),
]  # fmt: skip


def timeline(language: str) -> Timeline:
    loaded = load_scenario(RIVERSIDE)
    t = Translator(language)
    populated = frozenset(z.id for z in loaded.scenario.zones if z.population)
    feed = Feed(t, Names(loaded, t), 120.0, populated)
    feed.pull(EVENTS)
    return Timeline(feed, t)


@pytest.mark.parametrize(
    ("language", "breach", "ack"),
    [("en", "LEVEE BREACHED: levee by", "acknowledge"), ("zh-CN", "堤防决口：", "确认")],
)
def test_critical_events_stay_up_until_acknowledged_newest_first(app, language, breach, ack):
    line = timeline(language)
    surface = pygame.Surface((1280, 720))
    waiting = [w.kind for w in line.pending()]
    assert waiting == ["PeopleHarmed", "HazardMilestone", "LeveeBreached"]  # not orders, messages
    line.acknowledge()  # the deaths, the newest, then the water: the breach is left
    line.acknowledge()
    assert [w.kind for w in line.pending()] == ["LeveeBreached"]
    box = line.draw_banner(surface, pygame.Rect(0, 40, 930, 680))
    shown = " ".join(label.text for label in line.banner_labels)
    assert box is not None and breach in shown and ack in shown
    assert "town-levee" not in shown
    assert line.click(box.center)  # a click on the banner acknowledges the line it shows
    assert line.pending() == [] and line.draw_banner(surface, pygame.Rect(0, 40, 930, 680)) is None


def test_the_banner_is_no_wider_than_its_text_and_keeps_clear_of_the_maps_marks(app):
    """In the middle of the top edge when nothing is there; narrower, elsewhere on the edge,
    when marks lie under the middle (as the typhoon's fire-station units did at 1024x600)."""
    line = timeline("en")
    surface = pygame.Surface((1024, 600))
    map_rect = pygame.Rect(0, 40, 674, 560)
    box = line.draw_banner(surface, map_rect)
    assert box is not None and abs(box.centerx - map_rect.centerx) <= 1
    words = max(label.box.right for label in line.banner_labels) - box.x
    assert box.w <= words + 2 * 10 + 1  # its text and the padding, no more
    line.acknowledge()  # the next line: the banner is placed afresh
    middle = map_rect.centerx
    marks = [pygame.Rect(x, box.y + 10, 20, 17) for x in range(middle - 40, middle + 40, 22)]
    line.keep_clear = [(mark, 5.0) for mark in marks]
    moved = line.draw_banner(surface, map_rect)
    assert moved is not None and moved.collidelist(marks) == -1
    line.keep_clear = []
    assert line.draw_banner(surface, map_rect) == moved  # it does not wander back and forth


def test_more_harm_in_a_zone_within_half_an_hour_keeps_its_acknowledgement(app):
    line = timeline("en")
    harm = [w for w in line.feed.lines if w.kind == "PeopleHarmed"]
    assert len(harm) == 1 and "3 dead" in harm[0].text  # the two reports, merged
    while line.acknowledge():
        pass
    later = Event(9.0, "PeopleHarmed", {"zone": "nanpo", "dead": 1, "injured": 0, "trapped": 0})
    line.added(line.feed.pull([*EVENTS, later]))
    assert "4 dead" in line.feed.lines[-1].text and line.pending() == []


def test_filters_show_one_kind_of_line_and_all_shows_every_one(app):
    line = timeline("en")
    everything = len(line.entries())
    line.toggle("orders")
    assert [e.kind for e in line.entries()] == ["CommandIssued"]
    line.toggle("messages")
    assert [e.kind for e in line.entries()] == ["MessageReceived", "CommandIssued"]
    line.toggle("all")
    assert len(line.entries()) == everything == 5


def test_only_whole_entries_are_drawn_and_scrolling_back_shows_older_ones(app):
    line = timeline("zh-CN")
    surface = pygame.Surface((350, 200))
    small = pygame.Rect(0, 0, 350, 120)
    line.draw(surface, small, None)
    drawn = "".join(label.text for label in line.labels)
    shown = line.entries()[line.first_shown : line.last_shown]
    assert line.first_shown > 0 and "更早" in drawn  # older entries are said to exist
    assert all(entry.text.replace(" ", "") in drawn.replace(" ", "") for entry in shown)
    newest = line.last_shown
    line.scroll_by(2)
    line.draw(surface, small, None)
    assert line.last_shown == newest - 2 and "更新 2 条" in "".join(x.text for x in line.labels)
    more = Event(30.0, "MessageReceived", {"en": "More rain", "zh": "继续降雨"})
    line.added(line.feed.pull([*EVENTS, more]))
    line.draw(surface, small, None)
    assert line.last_shown == newest - 2  # what the reader looks at stays in view
    line.to_newest()
    line.draw(surface, small, None)
    assert line.last_shown == len(line.entries())


def test_on_the_drill_screen_enter_or_a_click_acknowledges_and_the_wheel_scrolls(app):
    loaded = load_scenario(RIVERSIDE)
    scene = DrillScene(app, loaded, loaded.scenario.meta.default_seed)
    app.switch(scene)
    session = scene.session
    while not scene.timeline.pending() and session.drill.now < 240:
        session.target_min = session.drill.now + 5.0
        session.tick(0.0, budget_s=10.0)
        scene.update(0.0)
    session.paused = True
    app.step(0.0)
    waiting = len(scene.timeline.pending())
    assert waiting >= 1 and scene.timeline.banner_rect is not None
    key(app, pygame.K_RETURN)
    assert len(scene.timeline.pending()) == waiting - 1
    for _ in range(4):
        app.step(0.0)
        if scene.timeline.banner_rect is not None:
            click(app, scene.timeline.banner_rect.center)
    assert scene.timeline.pending() == [] or len(scene.timeline.pending()) < waiting - 1
    app.step(0.0)
    app.dispatch(pygame.event.Event(pygame.MOUSEMOTION, pos=scene.timeline.rect.center, rel=(0, 0),
                                    buttons=(0, 0, 0)))  # fmt: skip
    zoom = scene.map.camera.scale
    app.dispatch(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1))
    assert scene.timeline.scroll == 1
    assert scene.map.camera.scale == zoom  # the wheel over the log does not zoom the map
