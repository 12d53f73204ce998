"""The guide of the tutorial drill, and the coach that carries it and the hints on the drill screen.

The tutorial (``scenarios/tutorial.yaml``, meta id ``tutorial``) is an
ordinary drill, scored like the others; what makes it teach is the
:class:`Guide`: a card on the map with one step at a time, what to do,
why, and a pulsing frame round the place to click now (a unit's icon,
an incident's mark, a zone, a panel button). The guide notices a step done
the way the trainee would: from the snapshot the screen draws and the orders
the game has sent (the accepted ``CommandIssued`` lines of the drill log); it
never calls the engine. A step already done when the guide reaches it is
passed over. The trainee can skip the guide at any step.

:class:`Coach` is what the drill scene holds: the guide (tutorial only) and
the hint board (:mod:`ui.hints`; on by default in the tutorial, off in other
drills). Text comes from ``ui/locales/<lang>/tutorial.json``.

Where things go: the top of the map belongs to the critical banner and the
new-incident alert under it (:func:`notices_bottom`); the hint chip sits by
the scale bar. The card and the hints go below the notices, where they cover
least of what matters, weighed per pixel: never the place to click, its tag,
the banner or the map's furniture; then the places the step's text names,
zone names, marks. The card stays put through a step unless the place to
click comes under it; the coach also tells the timeline what the map drew,
so the banner can keep off marks too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pygame

from sim import IncidentView, Snapshot, UnitView, ZoneView
from ui import input as intents
from ui import theme
from ui.hints import SHOWN_MAX, HintBoard

if TYPE_CHECKING:
    from ui.catalog import Entry
    from ui.scenes.drill import DrillScene

TUTORIAL_ID = "tutorial"
CARD_W = 380
PAD = 10
BUTTON_H = 30
REFRESH_S = 0.5
HINT_W = 380  # as wide as the card: one column of coaching
HINT_MIN_W = 220
# The new-incident alert the drill scene draws under the critical banner (ui.hud.IncidentAlert:
# its box reaches at most 52 px below the banner) and a gap: the card and the hints start
# below it.
ALERT_ROOM_PX = 10 + 27 + 12 + 6
# How much covering each thing on the map costs the card, per pixel covered.
MUST = 1000.0  # the place to click, its tag, the critical banner
NO_HINTS_ROOM = 500_000.0  # a card that leaves the hints nowhere (as a 30 px target half hid)
ABOUT = 40.0  # the marks and names of the places the step talks about
ABOUT_GROUND = 6.0  # the ground of a zone it talks about
FURNITURE = MUST  # legend, wind, scale bar, minimap, the hint chip: controls and keys
ZONE_LABEL = 25.0
MARK = 5.0  # units, incidents, facilities
LABEL = 2.0  # facility names
SLIDE_PX = 16  # the step between the card's places along an edge
CARD_BG = (22, 34, 52)
CARD_EDGE = (120, 180, 255)
AIM_RGB = (255, 210, 90)
WHY_RGB = (170, 196, 225)
OK_RGB = (130, 220, 150)
WARN_RGB = (255, 160, 120)
# The level the guide advises: a toxic cloud heading for 1,500 people. By the grade tables
# (sim.grades) 1,000+ people in reach is III and 50+ injured II, so II covers what the
# forecast says may happen; the review accepts one grade either side of the event's grade.
ADVISED_LEVEL = "II"
WARN_LEVEL = "orange"

Rect = pygame.Rect
Place = tuple[Rect | None, float]  # a place on the screen, and what covering it costs a pixel


@dataclass(frozen=True)
class Aim:
    """What to do this moment within a step: a line of text and where to click (or None)."""

    key: str
    target: Rect | None = None
    params: tuple[tuple[str, str], ...] = ()
    tone: tuple[int, int, int] = AIM_RGB
    spot: tuple[int, int] | None = None  # where in ``target`` a click does it (else its centre)

    @property
    def click_at(self) -> tuple[int, int] | None:
        """The point to click: the spot, or the middle of the framed place."""
        if self.spot is not None:
            return self.spot
        return self.target.center if self.target is not None else None


@dataclass(frozen=True)
class Step:
    """One step: its texts (``tutorial.<name>.title|do|why``), when it is done, and its aim."""

    name: str
    done: Callable[[Guide], bool]
    aim: Callable[[Guide], Aim]
    reading: bool = False  # a step that is only read: the Next button moves on
    about: Callable[[Guide], list[Place]] = lambda g: []  # the places its text names


class Guide:
    """The tutorial's steps, followed on the drill screen (see the module docstring)."""

    def __init__(self, scene: DrillScene) -> None:
        self.scene = scene
        self.index = 0
        self.skipped = False
        self.read: set[str] = set()  # reading steps the trainee has moved past
        self.orders: list[dict[str, Any]] = []  # accepted commands, as the log shows them
        self._seen = 0
        self.card = Rect(0, 0, 0, 0)
        self.spot: tuple[str, tuple[int, int], str] | None = None  # step, map size, card's spot
        self.targets: list[Rect] = []  # the place to click and its tag, as drawn last
        self.lines: list[tuple[str, Rect]] = []  # the card's text and where it was written
        self.buttons: list[tuple[Rect, str, Callable[[], None]]] = []

    # -- progress ------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return not self.skipped and self.index < len(STEPS)

    @property
    def step(self) -> Step | None:
        return STEPS[self.index] if self.active else None

    def update(self) -> None:
        """Read the orders the game sent since the last frame; pass every step that is done."""
        events = self.scene.session.drill.events
        for event in events[self._seen :]:
            if event.kind == "CommandIssued" and event.data.get("accepted"):
                self.orders.append(dict(event.data["command"]))
        self._seen = len(events)
        while self.active and STEPS[self.index].done(self):
            self.index += 1

    def next(self) -> None:
        step = self.step
        if step is not None:
            self.read.add(step.name)

    def skip(self) -> None:
        self.skipped = True

    # -- what the screen shows ---------------------------------------------------------
    @property
    def snap(self) -> Snapshot:
        return self.scene.session.snapshot

    def ordered(self, kind: str, **fields: object) -> bool:
        return any(
            o.get("type") == kind and all(o.get(k) == v for k, v in fields.items())
            for o in self.orders
        )

    def selected(self, kind: str, ident: str | None = None) -> bool:
        sel = self.scene.selected
        return sel is not None and sel.kind == kind and (ident is None or sel.id == ident)

    def hazmat(self) -> UnitView | None:
        return next((u for u in self.snap.units if "hazmat" in u.capabilities), None)

    def leak(self) -> IncidentView | None:
        return next((i for i in self.snap.incidents if i.kind == "leak"), None)

    def zone(self) -> ZoneView | None:
        """The zone the forecast threatens most (the village downwind)."""
        threatened = [z for z in self.snap.zones if z.id in self.snap.threats]
        pool = threatened or list(self.snap.zones)
        return max(pool, key=lambda z: self.snap.threats.get(z.id, (0.0, ""))[0], default=None)

    def casualties(self) -> IncidentView | None:
        waiting = [
            i for i in self.snap.incidents if i.is_open and i.kind == "casualties" and i.people
        ]
        return min(waiting, key=lambda i: i.created_min, default=None)

    def carrier(self) -> UnitView | None:
        free = [u for u in self.snap.units if u.carry_persons and u.status == "available"]
        return free[0] if free else None

    # -- where to click ----------------------------------------------------------------
    def unit_rect(self, unit: UnitView | None) -> Rect | None:
        if unit is None:
            return None
        pos = self.scene.map.unit_screen_positions(self.snap).get(unit.id)
        return _around(pos, 30)

    def mark_rect(self, kind: str, ident: str) -> Rect | None:
        pos = self.scene.map.position_of(self.snap, intents.Select(kind, ident))
        return _around(pos, 34)

    def zone_rect(self, zone: ZoneView | None) -> Rect | None:
        if zone is None:
            return None
        spec = next(z for z in self.scene.session.loaded.scenario.zones if z.id == zone.id)
        camera = self.scene.map.camera
        corners = [camera.to_screen(x, y) for x, y in spec.polygon]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        return Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)).inflate(8, 8)

    def zone_spot(self, zone: ZoneView) -> tuple[int, int] | None:
        """Open ground of ``zone`` near its middle: where the map would select the zone itself
        (not a road or mark drawn over it), and where the dot and the 'click here' tag above
        it leave the map's names readable (the zone's own among them)."""
        centre = self.scene.map.camera.to_screen(zone.x, zone.y)
        wanted = intents.Select("zone", zone.id)
        tag = theme.text(13, self.scene.t("tutorial.click_here"), bold=True).get_rect()
        marked = Rect(0, 0, tag.w + 10, tag.h + 4 + 18)  # the tag, 10 px over the dot (8 px)
        names = [r for _, r in self.scene.map.labels]
        for radius in range(0, 90, 6):
            for dx, dy in ((radius, 0), (-radius, 0), (0, radius), (0, -radius)):
                pos = (centre[0] + dx, centre[1] + dy)
                marked.midbottom = (pos[0], pos[1] + 8)
                if marked.collidelist(names) >= 0:
                    continue
                points, area = self.scene.map.pick_all(pos, self.snap)
                if not points and area == wanted:
                    return pos
        return None

    def button_rect(self, wanted: Callable[[object], bool]) -> Rect | None:
        for rect, choice in self.scene.panel.placed:
            if wanted(choice.intention):
                return Rect(rect).inflate(6, 6)
        return None


def _around(pos: tuple[int, int] | None, size: int) -> Rect | None:
    if pos is None:
        return None
    rect = Rect(0, 0, size, size)
    rect.center = pos
    return rect


# -- the steps ---------------------------------------------------------------------
def _read(name: str) -> Callable[[Guide], bool]:
    return lambda g: name in g.read


def _no_aim(g: Guide) -> Aim:
    return Aim("")  # a reading step has no aim: its Next button moves on


def _dispatch_done(g: Guide) -> bool:
    leak = g.leak()
    return leak is not None and (bool(leak.units) or g.ordered("dispatch", target=leak.id))


def _dispatch_aim(g: Guide) -> Aim:
    unit, leak = g.hazmat(), g.leak()
    if unit is None or leak is None:
        return Aim("tutorial.aim.wait")
    if g.scene.armed and g.selected("unit", unit.id):
        return Aim("tutorial.dispatch.click_leak", g.mark_rect("incident", leak.id))
    return Aim("tutorial.dispatch.click_unit", g.unit_rect(unit))


def _zone_aim(g: Guide, press: str, wanted: Callable[[object], bool]) -> Aim:
    zone = g.zone()
    if zone is None:
        return Aim("tutorial.aim.wait")
    name = (("zone", g.scene.names.zone(zone.id)),)
    if not g.selected("zone", zone.id):
        return Aim("tutorial.aim.click_zone", g.zone_rect(zone), name, spot=g.zone_spot(zone))
    return Aim(press, g.button_rect(wanted), name)


def _warn_done(g: Guide) -> bool:
    zone = g.zone()
    return zone is not None and zone.warning is not None


def _warn_aim(g: Guide) -> Aim:
    return _zone_aim(
        g, "tutorial.warn.press", lambda it: isinstance(it, intents.Warn) and it.level == WARN_LEVEL
    )


def _channels_used(g: Guide, zone_id: str) -> set[str]:
    return {
        str(o.get("channel"))
        for o in g.orders
        if o.get("type") == "warn" and o.get("zone") == zone_id
    }


def _channel_done(g: Guide) -> bool:
    zone = g.zone()
    return zone is not None and len(_channels_used(g, zone.id)) >= 2


def _channel_aim(g: Guide) -> Aim:
    zone = g.zone()
    if (
        zone is not None
        and g.selected("zone", zone.id)
        and g.scene.channel in _channels_used(g, zone.id)
    ):
        switch = g.button_rect(lambda it: it == intents.Quick("channel"))
        return Aim("tutorial.channel.switch", switch)
    return _zone_aim(
        g,
        "tutorial.channel.press",
        lambda it: isinstance(it, intents.Warn) and it.level == WARN_LEVEL,
    )


def _shelter_done(g: Guide) -> bool:
    zone = g.zone()
    return zone is not None and zone.sheltering_in_place


def _shelter_aim(g: Guide) -> Aim:
    zone = g.zone()
    aim = _zone_aim(g, "tutorial.shelter.press", lambda it: isinstance(it, intents.ShelterInPlace))
    if zone is not None and zone.evacuating_to and g.selected("zone", zone.id):
        return Aim("tutorial.shelter.not_evacuate", aim.target, aim.params, WARN_RGB)
    return aim


def _ambulance_done(g: Guide) -> bool:
    carriers = {u.id for u in g.snap.units if u.carry_persons}
    casualties = {i.id for i in g.snap.incidents if i.kind == "casualties"}
    return any(
        o.get("type") == "dispatch" and o.get("unit") in carriers and o.get("target") in casualties
        for o in g.orders
    )


def _ambulance_aim(g: Guide) -> Aim:
    incident, unit = g.casualties(), g.carrier()
    if incident is None or unit is None:
        return Aim("tutorial.ambulance.wait")
    armed = g.scene.armed_unit()
    if armed is not None and armed.carry_persons:
        return Aim("tutorial.ambulance.click_incident", g.mark_rect("incident", incident.id))
    return Aim("tutorial.ambulance.click_unit", g.unit_rect(unit))


def _command_aim(g: Guide, key: str, wanted: Callable[[object], bool]) -> Aim:
    if g.scene.selected is not None:
        return Aim("tutorial.aim.clear")
    return Aim(key, g.button_rect(wanted))


def _level_aim(g: Guide) -> Aim:
    return _command_aim(g, "tutorial.level.press", lambda it: it == intents.SetLevel(ADVISED_LEVEL))


def _reinforce_aim(g: Guide) -> Aim:
    return _command_aim(g, "tutorial.reinforce.press", lambda it: isinstance(it, intents.Reinforce))


def _report_aim(g: Guide) -> Aim:
    return _command_aim(
        g, "tutorial.report.press", lambda it: isinstance(it, intents.Report) and not it.final
    )


def _leak_marks(g: Guide) -> list[Place]:
    """The leak's mark, and the hazard source's (the yellow triangle the welcome names)."""
    leak = g.leak()
    marks = [g.mark_rect("incident", leak.id)] if leak is not None else []
    sources = [f for f in g.snap.facilities if f.type == "hazard_source"]
    return [(r, ABOUT) for r in marks + [g.mark_rect("facility", f.id) for f in sources]]


def _about_zone(g: Guide) -> list[Place]:
    """The threatened zone: its name on the map, and its ground."""
    zone = g.zone()
    if zone is None:
        return []
    name = g.scene.t.pick(zone.name_en, zone.name_zh)
    labels = [r for label, r in g.scene.map.labels if label == name]
    return [(r, ABOUT) for r in labels] + [(g.zone_rect(zone), ABOUT_GROUND)]


def _about_leak_and_zone(g: Guide) -> list[Place]:
    return _leak_marks(g) + _about_zone(g)


def _about_dispatch(g: Guide) -> list[Place]:
    return [*_leak_marks(g), (g.unit_rect(g.hazmat()), ABOUT)]


def _about_casualties(g: Guide) -> list[Place]:
    incident = g.casualties()
    mark = g.mark_rect("incident", incident.id) if incident is not None else None
    return [(mark, ABOUT), (g.unit_rect(g.carrier()), ABOUT)]


STEPS: tuple[Step, ...] = (
    Step(
        "welcome",
        lambda g: "welcome" in g.read or bool(g.orders),
        _no_aim,
        reading=True,
        about=_about_leak_and_zone,
    ),
    Step("dispatch", _dispatch_done, _dispatch_aim, about=_about_dispatch),
    Step("warn", _warn_done, _warn_aim, about=_about_zone),
    Step("channel", _channel_done, _channel_aim, about=_about_zone),
    Step("shelter", _shelter_done, _shelter_aim, about=_about_zone),
    Step("ambulance", _ambulance_done, _ambulance_aim, about=_about_casualties),
    Step("level", lambda g: g.snap.response_level != "none", _level_aim),
    Step("reinforce", lambda g: bool(g.snap.reinforcements_requested), _reinforce_aim),
    Step("report", lambda g: g.scene.reports_sent > 0, _report_aim),
    Step("finish", _read("finish"), _no_aim, reading=True),
)


# -- drawing the card ------------------------------------------------------------------
def draw_guide(
    surface: pygame.Surface,
    guide: Guide,
    t: Callable[..., str],
    top: int,
    furniture: list[Rect],
    hints_room: Callable[[Rect], bool] = lambda card: True,
) -> None:
    """The card (step n of N, title, what to do, why, what to click now) below ``top`` (the
    map's top notices), clear of the map's ``furniture`` and of the place to click, leaving
    the hints a place (``hints_room``), and the frame round the place to click."""
    step = guide.step
    if step is None:
        return
    aim = step.aim(guide)
    map_rect = guide.scene.map.rect
    full = min(CARD_W, map_rect.w // 2)
    sizes = [(w, _card_height(_card_lines(step, aim, t, w - 2 * PAD))) for w in (full, full - 60)]
    tag = _tag(guide, aim, map_rect, surface.get_rect(), t)
    guide.targets = [r for r in (aim.target, tag[1] if tag else None) if r is not None]
    card = _place_card(guide, step, sizes, top, guide.targets, furniture, hints_room)
    parts = _card_lines(step, aim, t, card.w - 2 * PAD)
    guide.card = card
    pygame.draw.rect(surface, CARD_BG, card, border_radius=8)
    pygame.draw.rect(surface, CARD_EDGE, card, 2, border_radius=8)
    y = card.y + PAD
    guide.lines = []
    for size, text, colour, h in parts:
        bold = colour == (255, 255, 255)
        image = theme.text(size, text, colour, bold)
        guide.lines.append((text, image.get_rect(topleft=(card.x + PAD, y))))
        surface.blit(image, guide.lines[-1][1])
        y += h
    _card_buttons(surface, guide, step, card, t)
    if aim.target is not None and tag is not None:
        _draw_target(surface, aim, guide.scene.clock_s, *tag)


def _tag(
    guide: Guide, aim: Aim, map_rect: Rect, screen: Rect, t: Callable[..., str]
) -> tuple[pygame.Surface, Rect] | None:
    """The 'click here' tag and where it goes: above the spot or the frame, or for a panel
    button (drawn over anything of ours) at the map's edge, naming the button."""
    if aim.target is None:
        return None
    label = t("tutorial.click_here")
    in_panel = aim.target.x >= map_rect.right - 10
    if in_panel and (name := _button_label(guide, aim.target)):
        label = t("tutorial.press_tag", label=name)
    image = theme.text(13, label, (30, 24, 6), True)
    box = image.get_rect().inflate(10, 4)
    box.midbottom = (aim.target.centerx, aim.target.y - 7)
    if aim.spot is not None:
        box.midbottom = (aim.spot[0], aim.spot[1] - 10)
    elif in_panel:
        box.midright = (map_rect.right - 4, aim.target.centery)
    box.clamp_ip(screen)
    return image, box


def _button_label(guide: Guide, target: Rect) -> str:
    """The text of the panel button ``target`` frames, as the button shows it."""
    for button in guide.scene.buttons.actions:
        if button.rect.center == target.center:
            return str(button.text)
    return ""


def _card_height(lines: list[tuple[int, str, tuple[int, int, int], int]]) -> int:
    return sum(h for _, _, _, h in lines) + BUTTON_H + 3 * PAD


def _card_lines(
    step: Step, aim: Aim, t: Callable[..., str], width: int
) -> list[tuple[int, str, tuple[int, int, int], int]]:
    """(font size, text, colour, line height) of every line of the card."""
    params = dict(aim.params)
    counter = t("tutorial.counter", n=STEPS.index(step) + 1, total=len(STEPS))
    lines = [(12, counter, WHY_RGB, 18)]
    lines += [
        (17, s, (255, 255, 255), 24)
        for s in theme.wrap(t(f"tutorial.{step.name}.title"), 17, width, True)
    ]
    lines += [
        (14, s, (232, 236, 241), 19) for s in theme.wrap(t(f"tutorial.{step.name}.do"), 14, width)
    ]
    why = t("tutorial.why", why=t(f"tutorial.{step.name}.why"))
    lines += [(13, s, WHY_RGB, 18) for s in theme.wrap(why, 13, width)]
    if not step.reading:
        lines += [(14, s, aim.tone, 20) for s in theme.wrap(t(aim.key, **params), 14, width, True)]
    return lines


def _place_card(
    guide: Guide,
    step: Step,
    sizes: list[tuple[int, int]],
    top: int,
    targets: list[Rect],
    furniture: list[Rect],
    hints_room: Callable[[Rect], bool],
) -> Rect:
    """Where, and of which of ``sizes`` (the full width first, then a narrower, taller card),
    the card covers least of what matters (see the weights above): never the place to click
    or its tag or the critical banner; it leaves the hints a place (``hints_room``); then
    it covers least of the places the step talks about, the map's furniture, zone names,
    marks. It stays where it is through a step (what is under it moves; the card should
    not) unless the place to click comes under it or the hints lose their room."""
    scene = guide.scene
    map_rect = scene.map.rect
    spots = {
        f"{size[0]} {name}": rect
        for size in sizes
        for name, rect in _card_spots(map_rect, size, top, furniture).items()
    }
    banner = scene.timeline.banner_rect
    must = [(r, MUST) for r in [*targets, *([banner] if banner else [])]]
    kept = guide.spot
    same_step = kept is not None and kept[:2] == (step.name, map_rect.size)
    name = _choose(
        spots,
        kept[2] if kept is not None and same_step else None,
        must,
        lambda: _map_costs(scene, step.about(guide), furniture),
        lambda spot: 0.0 if hints_room(spot) else NO_HINTS_ROOM,
    )
    guide.spot = (step.name, map_rect.size, name)
    return spots[name]


def _choose(
    spots: dict[str, Rect],
    kept: str | None,
    must: list[tuple[Rect, float]],
    costs: Callable[[], list[tuple[Rect, float]]],
    penalty: Callable[[Rect], float] = lambda spot: 0.0,
) -> str:
    """The spot ``kept`` while it covers none of ``must`` and has no ``penalty``; else the
    one whose penalty and cover of ``must`` and ``costs()`` are least (on a tie, the one
    listed first)."""
    if kept in spots and not _cover(spots[kept], must) and not penalty(spots[kept]):
        return kept
    weighted = must + costs()
    order = list(spots)
    return min(
        order, key=lambda n: (_cover(spots[n], weighted) + penalty(spots[n]), order.index(n))
    )


def _card_spots(
    map_rect: Rect, size: tuple[int, int], top: int, furniture: list[Rect]
) -> dict[str, Rect]:
    """The card's possible places, by preference: top right and top left under the map's
    notices, the bottom middle, right and left (above the legend, scale and wind box); then
    along the top and the bottom, and down either side, a step at a time."""
    width, height = size
    inner = map_rect.inflate(-20, -20)
    right, middle = inner.right - width, map_rect.centerx - width // 2

    def floor(x: int) -> int:
        return _floor(Rect(x, top, width, inner.bottom - top), furniture)

    spots = {
        "top right": (right, top),
        "top left": (inner.x, top),
        "bottom middle": (middle, floor(middle) - height),
        "bottom right": (right, floor(right) - height),
        "bottom left": (inner.x, floor(inner.x) - height),
    }
    for x in range(inner.x, right, SLIDE_PX):
        spots[f"top {x}"] = (x, top)
        spots[f"bottom {x}"] = (x, floor(x) - height)
    for y in range(top, inner.bottom - height, SLIDE_PX):
        spots[f"left {y}"] = (inner.x, y)
        spots[f"right {y}"] = (right, y)
    return {n: Rect(x, max(top, y), width, height).clamp(map_rect) for n, (x, y) in spots.items()}


def _floor(span: Rect, furniture: list[Rect]) -> int:
    """The lowest a box in ``span`` may reach: above the map's furniture there (legend,
    scale, wind box, minimap, hint chip), else the bottom of ``span``."""
    return min((r.top - 8 for r in furniture if r.colliderect(span)), default=span.bottom)


def _map_costs(
    scene: DrillScene, about: list[Place], furniture: list[Rect]
) -> list[tuple[Rect, float]]:
    """What lies on the map now (the places ``about``, the ``furniture``, names and marks),
    with what covering it costs."""
    zone_names = {scene.t.pick(z.name_en, z.name_zh) for z in scene.session.snapshot.zones}
    costs: list[tuple[Rect, float]] = [(r, w) for r, w in about if r is not None]
    costs += [(r, FURNITURE) for r in furniture]
    costs += [(r, ZONE_LABEL if n in zone_names else LABEL) for n, r in scene.map.labels]
    costs += [(m.rect, MARK) for m in scene.map.layout.marks]
    return costs


def _cover(card: Rect, weighted: list[tuple[Rect, float]]) -> float:
    """The weighted area of ``weighted`` the card covers."""
    total = 0.0
    for rect, weight in weighted:
        overlap = card.clip(rect)
        total += weight * overlap.w * overlap.h
    return total


def _card_buttons(
    surface: pygame.Surface, guide: Guide, step: Step, card: Rect, t: Callable[..., str]
) -> None:
    y = card.bottom - PAD - BUTTON_H
    guide.buttons = []
    half = (card.w - 3 * PAD) // 2
    if step.reading:
        label = t("tutorial.close" if step.name == "finish" else "tutorial.next")
        guide.buttons.append((Rect(card.right - PAD - half, y, half, BUTTON_H), label, guide.next))
    if step.name != "finish":
        guide.buttons.append(
            (Rect(card.x + PAD, y, half, BUTTON_H), t("tutorial.skip"), guide.skip)
        )
    for rect, label, _ in guide.buttons:
        primary = label != t("tutorial.skip")
        pygame.draw.rect(surface, (52, 96, 160) if primary else (44, 52, 64), rect, border_radius=5)
        pygame.draw.rect(surface, (150, 180, 220), rect, 1, border_radius=5)
        image = theme.text(14, label, (255, 255, 255), primary)
        surface.blit(image, image.get_rect(center=rect.center))


def _draw_target(
    surface: pygame.Surface, aim: Aim, clock_s: float, tag: pygame.Surface, box: Rect
) -> None:
    """A pulsing frame round the aim's target, a dot on its spot, and the tag."""
    assert aim.target is not None
    grow = int(4 * (1 + pygame.math.clamp((clock_s * 2) % 2 - 1, -1, 1)))
    frame = aim.target.inflate(grow, grow)
    pygame.draw.rect(surface, (30, 20, 0), frame.inflate(4, 4), 2, border_radius=8)
    pygame.draw.rect(surface, AIM_RGB, frame, 3, border_radius=7)
    if aim.spot is not None:
        pygame.draw.circle(surface, (30, 20, 0), aim.spot, 8)
        pygame.draw.circle(surface, AIM_RGB, aim.spot, 6)
    pygame.draw.rect(surface, AIM_RGB, box, border_radius=4)
    surface.blit(tag, tag.get_rect(center=box.center))


# -- the coach: what the drill scene holds ---------------------------------------------
class Coach:
    """The guide (tutorial only) and the hints, hooked into the drill scene in four places:
    made in ``__init__``, given events first in ``handle_event``, updated in ``update``,
    drawn near the end of ``draw``."""

    def __init__(self, scene: DrillScene) -> None:
        self.scene = scene
        is_tutorial = scene.session.loaded.scenario.meta.id == TUTORIAL_ID
        self.guide = Guide(scene) if is_tutorial else None
        self.hints = HintBoard(on=is_tutorial)
        self._age = REFRESH_S
        self._logged = 0  # log length at the last hint refresh
        self._hints_spot: tuple[str, tuple[int, int]] | None = None  # where, at what map size

    def handle(self, event: pygame.event.Event) -> bool:
        """The guide's buttons (a click on its card goes no further), F8 and the hint chip."""
        guide = self.guide
        clicked = event.type == pygame.MOUSEBUTTONDOWN and event.button == 1
        if clicked and guide is not None and guide.active and guide.card.collidepoint(event.pos):
            for rect, _, action in guide.buttons:
                if rect.collidepoint(event.pos):
                    action()
            return True
        was_on = self.hints.on
        if self.hints.handle(event, self._select):
            if self.hints.on and not was_on:
                self._age = REFRESH_S  # show the hints of now at once
            return True
        return False

    def covers(self, pos: tuple[int, int]) -> bool:
        """Whether the guide's card, the hint chip or a hint lies over the map at ``pos``
        (a click there is theirs, so the scene's plan for it is nothing)."""
        guide = self.guide
        if guide is not None and guide.active and guide.card.collidepoint(pos):
            return True
        return self.hints.covers(pos)

    def _select(self, thing: intents.Select) -> None:
        self.scene.select(thing)

    def update(self, dt_s: float) -> None:
        """The guide's progress, the hints of now, and what the critical banner should keep
        clear of (the map's marks, names and furniture as last drawn)."""
        if self.guide is not None:
            self.guide.update()
        scene_map = getattr(self.scene, "map", None)
        if scene_map is not None:
            furniture = list(scene_map.panels.values())
            self.scene.timeline.keep_clear = _map_costs(self.scene, [], furniture)
        self._age += dt_s
        logged = len(self.scene.session.drill.events)
        if self._age >= REFRESH_S or logged != self._logged:  # an order: hints of now at once
            self._age, self._logged = 0.0, logged
            scene = self.scene
            scene_names = getattr(scene, "names", None)
            if scene_names is not None:
                self.hints.refresh(scene.session.snapshot, scene.reports_sent, scene.t, scene_names)

    def draw(self, surface: pygame.Surface) -> None:
        """The guide's card under the map's top notices, the hint chip beside the scale bar,
        and the hints where they hide least (see :meth:`_hints_place`)."""
        scene = self.scene
        map_rect = scene.map.rect
        top = notices_bottom(scene)
        chip = self._chip_rect(map_rect)
        furniture = [*scene.map.panels.values(), chip]
        guide = self.guide
        if guide is not None:

            def hints_room(card: Rect) -> bool:
                """Whether a place for one hint is clear of ``card`` and the place to click."""
                places = self._hint_places(map_rect, top, card, furniture, 1).values()
                clear = [card, *guide.targets]
                return any(place.collidelist(clear) < 0 for place in places)

            draw_guide(surface, guide, scene.t, top, furniture, hints_room)
        card = guide.card if guide is not None and guide.active else None
        place, count = self._hints_place(map_rect, top, card, furniture)
        self.hints.draw(surface, chip.topleft, scene.t, place, count)

    def _chip_rect(self, map_rect: Rect) -> Rect:
        """The hint chip's box: on the map's bottom edge, right of the scale bar (and of the
        legend, if that reaches down beside it)."""
        chip = Rect((0, 0), self.hints.chip_size(self.scene.t))
        scale, legend = self.scene.map.panels.get("scale"), self.scene.map.panels.get("legend")
        if scale is not None:
            chip.bottomleft = (scale.right + 8, scale.bottom)
        else:
            chip.bottomleft = (map_rect.x + 8, map_rect.bottom - 8)
        if legend is not None and chip.colliderect(legend):
            chip.left = legend.right + 8
        return chip

    def _hint_places(
        self,
        map_rect: Rect,
        top: int,
        card: Rect | None,
        furniture: list[Rect],
        count: int = SHOWN_MAX,
    ) -> dict[str, Rect]:
        """Where the first ``count`` hints may go, in order: the map's left edge above the
        legend or under the top notices; beside, under or over the guide's card (inside the
        map, off its furniture and the hint chip)."""
        x, width = map_rect.x + 8, min(HINT_W, map_rect.w - 20)
        floor = _floor(Rect(x, top, width, map_rect.bottom - 10 - top), furniture)

        def box(left: int, y: int, w: int, up: bool = False) -> Rect:
            height = self.hints.height(w, self.scene.t, count)
            return Rect(left, y - height if up else y, w, height)

        places = {"bottom left": box(x, floor, width, True), "top left": box(x, top, width)}
        if card is not None:
            right = min(width, map_rect.right - 8 - (card.right + 8))
            if card.x - 8 - x >= HINT_MIN_W:
                places["left of card"] = box(x, top, min(width, card.x - 8 - x))
            if right >= HINT_MIN_W:
                places["right of card"] = box(card.right + 8, top, right)
            places["under card"] = box(card.x, card.bottom + 8, card.w)
            places["over card"] = box(card.x, card.y - 8, card.w, True)
        fits = {
            n: r
            for n, r in places.items()
            if r.y >= top and map_rect.contains(r) and r.collidelist(furniture) < 0
        }
        return fits or {"top left": places["top left"]}

    def _hints_place(
        self, map_rect: Rect, top: int, card: Rect | None, furniture: list[Rect]
    ) -> tuple[tuple[int, int, int], int]:
        """(x, y, width) of the hints and how many: of :meth:`_hint_places` the one that
        covers least, the same one while it stays clear of the card and the place to click;
        fewer hints where all of them would find no place clear of those."""
        guide = self.guide if self.guide is not None and self.guide.active else None
        hard = [card, *guide.targets] if card is not None and guide is not None else []
        for count in range(SHOWN_MAX, 0, -1):
            places = self._hint_places(map_rect, top, card, furniture, count)
            clear = {n: r for n, r in places.items() if r.collidelist(hard) < 0}
            if clear:
                places = clear
                break
        about = guide.step.about(guide) if guide is not None and guide.step is not None else []
        kept = self._hints_spot
        name = _choose(
            places,
            kept[0] if kept is not None and kept[1] == map_rect.size else None,
            [(r, MUST) for r in hard],
            lambda: _map_costs(self.scene, about, furniture),
        )
        self._hints_spot = (name, map_rect.size)
        return (places[name].x, places[name].y, places[name].w), count


def notices_bottom(scene: DrillScene) -> int:
    """The y under the map's top notices: the critical banner's stack (or the map's top) and
    room for the new-incident alert the drill scene draws under it."""
    banner = scene.timeline.banner_rect
    return (banner.bottom if banner is not None else scene.map.rect.y) + ALERT_ROOM_PX


def tutorial_first(entries: list[Entry], keep_first: bool = False) -> list[Entry]:
    """The picker's order: the tutorial first (a newcomer starts there), the rest as found;
    with ``keep_first`` the scenario named on the command line stays above it."""
    head = entries[:1] if keep_first else []
    rest = entries[len(head) :]
    is_tutorial = [e.loaded is not None and e.loaded.scenario.meta.id == TUTORIAL_ID for e in rest]
    return (
        head
        + [e for e, t in zip(rest, is_tutorial, strict=True) if t]
        + [e for e, t in zip(rest, is_tutorial, strict=True) if not t]
    )
