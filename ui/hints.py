"""Hints: what a watchful colleague beside the trainee would point out, read off the screen.

Every hint is computed from what the drill screen shows the trainee: the
snapshot the map and panels draw (zones, their warning and protective order,
the forecast threat and advice the zone panel prints, incidents, units and
their status) and how many reports upward the trainee has sent. Never from
hidden truth: no hint knows where the gas or water will be beyond the
official forecast the trainee can read.

Hints are coaching the score does not know about, so they are off by default
in ordinary drills (assessed play) and on in the tutorial; F8, or a click on
the hint chip at the map's bottom left (beside the scale bar), switches them
for the drill in play. A click on a hint selects what it is about. The drill
scene's coach (ui.tutorial.Coach) decides where the chip and the hints go.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pygame

from sim import Snapshot, UnitView, ZoneView
from ui import theme
from ui.input import Select
from ui.names import Names

TOGGLE_KEY = pygame.K_F8
THREAT_MIN = 0.3  # forecast threat worth acting on (the level the expert bot acts at)
IDLE_CARRIER_MIN = 5.0  # a carrier free this long while casualties wait is worth a word
INCIDENT_WAIT_MIN = 5.0  # an incident nobody was sent to for this long
LEVEL_AFTER_MIN = 10.0  # no response level this long after the first incident
REPORT_AFTER_MIN = 20.0  # no report upward this long after the first incident
SHOWN_MAX = 2
PAD = 8
LINE_PX = 19
GAP = 6  # between two hints
CHIP_RGB = (40, 48, 60)
HINT_BG = (58, 48, 22)
HINT_EDGE = (235, 190, 80)
HINT_TEXT = (250, 236, 200)


@dataclass(frozen=True)
class Hint:
    """One hint: what it is about (``about``, stable for tests), its text, what it points at."""

    about: str
    text: str
    target: Select | None = None


@dataclass
class Watcher:
    """Remembers, snapshot after snapshot, what the trainee could have watched happen:
    since when each casualty carrier has stood free and when the first incident came."""

    free_since: dict[str, float] = field(default_factory=dict)
    first_incident_min: float | None = None

    def observe(self, snap: Snapshot) -> None:
        for unit in snap.units:
            if _free_carrier(unit):
                self.free_since.setdefault(unit.id, snap.t_min)
            else:
                self.free_since.pop(unit.id, None)
        if self.first_incident_min is None and snap.incidents:
            self.first_incident_min = min(i.created_min for i in snap.incidents)


def _free_carrier(unit: UnitView) -> bool:
    return unit.carry_persons > 0 and unit.status == "available"


def _threat(snap: Snapshot, zone: ZoneView) -> tuple[float, str]:
    return snap.threats.get(zone.id, (0.0, ""))


def zone_hints(snap: Snapshot, t: Callable[..., str], names: Names) -> list[Hint]:
    """Threatened zones nobody has warned, and warned ones without the order the forecast
    advises (the zone panel's 'advice'); sheltering zones the threat has left."""
    found = []
    for zone in snap.zones:
        level, advice = _threat(snap, zone)
        where = Select("zone", zone.id)
        name = names.zone(zone.id)
        acted = zone.sheltering_in_place or zone.evacuating_to is not None
        if level >= THREAT_MIN and zone.warning is None:
            text = t("hint.unwarned", zone=name, advice=t.enum("advice", advice))
            found.append(Hint(f"unwarned:{zone.id}", text, where))
        elif level >= THREAT_MIN and not acted and advice in ("evacuate", "shelter"):
            text = t("hint.warned_not_" + advice, zone=name)
            found.append(Hint(f"no_action:{zone.id}", text, where))
        elif zone.sheltering_in_place and level == 0.0:
            found.append(Hint(f"all_clear:{zone.id}", t("hint.all_clear", zone=name), where))
    return found


def casualty_hints(
    snap: Snapshot, watcher: Watcher, t: Callable[..., str], names: Names
) -> list[Hint]:
    """A carrier standing free while casualties it could reach wait for a carrier: nobody
    sent, or fewer seats on the way than people waiting."""
    left = _uncarried(snap)
    if not left:
        return []
    for unit in snap.units:
        since = watcher.free_since.get(unit.id)
        if since is None or not _free_carrier(unit) or snap.t_min - since < IDLE_CARRIER_MIN:
            continue
        reachable = [i for i in snap.incidents if i.id in left and snap.can_reach(unit, i.node)]
        if not reachable:
            continue
        incident = max(reachable, key=lambda i: left[i.id])
        idle_min = snap.t_min - max(since, incident.created_min)  # free *while* they waited
        if idle_min < IDLE_CARRIER_MIN:
            continue
        text = t(
            "hint.idle_carrier",
            unit=names.unit(unit.id),
            min=f"{idle_min:.0f}",
            n=left[incident.id],
            incident=names.incident(incident.id),
        )
        return [Hint(f"idle:{unit.id}", text, Select("unit", unit.id))]  # one is enough
    return []


def _uncarried(snap: Snapshot) -> dict[str, int]:
    """Open casualty incidents -> people in them beyond the seats of the carriers sent there
    (each carrier's persons per trip, as its panel shows)."""
    seats: dict[str, int] = {}
    for unit in snap.units:
        if unit.task and unit.task.startswith("incident:"):
            incident = unit.task.split(":", 1)[1]
            seats[incident] = seats.get(incident, 0) + unit.carry_persons
    found = {}
    for incident in snap.incidents:
        if incident.is_open and "carry_casualties" in incident.needs:
            waiting = incident.people - seats.get(incident.id, 0)
            if waiting > 0:
                found[incident.id] = waiting
    return found


def _sent_to(snap: Snapshot) -> set[str]:
    """Incidents some unit is on its way to or working (the map draws its route)."""
    return {
        u.task.split(":", 1)[1] for u in snap.units if u.task and u.task.startswith("incident:")
    }


def incident_hints(snap: Snapshot, t: Callable[..., str], names: Names) -> list[Hint]:
    """Open incidents nobody has been sent to for a while (casualties have their own hint)."""
    found, sent = [], _sent_to(snap)
    for incident in snap.incidents:
        if not incident.is_open or incident.units or incident.id in sent:
            continue
        if "carry_casualties" in incident.needs:
            continue
        waited = snap.t_min - incident.created_min
        if waited >= INCIDENT_WAIT_MIN:
            text = t("hint.unattended", incident=names.incident(incident.id), min=f"{waited:.0f}")
            found.append(Hint(f"unattended:{incident.id}", text, Select("incident", incident.id)))
    return found


def command_hints(
    snap: Snapshot, watcher: Watcher, reports_sent: int, t: Callable[..., str]
) -> list[Hint]:
    """No response level, or no report upward, a while after the first incident."""
    first = watcher.first_incident_min
    if first is None:
        return []
    since = snap.t_min - first
    found = []
    if snap.response_level == "none" and since >= LEVEL_AFTER_MIN:
        found.append(Hint("level", t("hint.no_level", min=f"{since:.0f}")))
    if reports_sent == 0 and since >= REPORT_AFTER_MIN:
        found.append(Hint("report", t("hint.no_report", min=f"{since:.0f}")))
    return found


def hints_for(
    snap: Snapshot,
    watcher: Watcher,
    reports_sent: int,
    t: Callable[..., str],
    names: Names,
) -> list[Hint]:
    """Every hint that holds now: the first of each kind in turn (zones, casualties,
    incidents, command), then the second of each, and so on, so the few shown are not all
    of one kind; people before paperwork."""
    kinds = [
        zone_hints(snap, t, names),
        casualty_hints(snap, watcher, t, names),
        incident_hints(snap, t, names),
        command_hints(snap, watcher, reports_sent, t),
    ]
    rounds = max(map(len, kinds))
    return [kind[i] for i in range(rounds) for kind in kinds if i < len(kind)]


class HintBoard:
    """The hints of the drill in play: switched on or off, kept current, drawn on the map."""

    def __init__(self, on: bool) -> None:
        self.on = on
        self.watcher = Watcher()
        self.current: list[Hint] = []
        self.chip = pygame.Rect(0, 0, 0, 0)
        self.boxes: list[tuple[pygame.Rect, Hint]] = []  # as drawn last frame
        self.lines: list[tuple[str, pygame.Rect, pygame.Rect]] = []  # text, where, its box

    def refresh(
        self, snap: Snapshot, reports_sent: int, t: Callable[..., str], names: Names
    ) -> None:
        self.watcher.observe(snap)
        self.current = hints_for(snap, self.watcher, reports_sent, t, names) if self.on else []

    def toggle(self) -> None:
        self.on = not self.on
        if not self.on:
            self.current, self.boxes, self.lines = [], [], []

    def covers(self, pos: tuple[int, int]) -> bool:
        """Whether the chip or a hint lies over the map at ``pos``."""
        return self.chip.collidepoint(pos) or any(r.collidepoint(pos) for r, _ in self.boxes)

    def handle(self, event: pygame.event.Event, select: Callable[[Select], None]) -> bool:
        """F8, or a left click on the chip: switch hints; a click on a hint selects what it is
        about (``select``). True if the event was ours."""
        if event.type == pygame.KEYDOWN and event.key == TOGGLE_KEY:
            self.toggle()
            return True
        if not (event.type == pygame.MOUSEBUTTONDOWN and event.button == 1):
            return False
        if self.chip.collidepoint(event.pos):
            self.toggle()
            return True
        for rect, hint in self.boxes:
            if rect.collidepoint(event.pos):
                if hint.target is not None:
                    select(hint.target)
                return True
        return False

    def chip_size(self, t: Callable[..., str]) -> tuple[int, int]:
        """The chip's size ('Hints on · F8' in a box)."""
        label = theme.text(13, t("hint.chip_on" if self.on else "hint.chip_off"))
        return label.get_width() + 2 * PAD, label.get_height() + 6

    def draw(
        self,
        surface: pygame.Surface,
        at: tuple[int, int],
        t: Callable[..., str],
        place: tuple[int, int, int],
        count: int = SHOWN_MAX,
    ) -> None:
        """The chip ('Hints on · F8') at ``at``; the first ``count`` hints (at most
        :data:`SHOWN_MAX`) from (x, y) down, ``width`` wide (``place``)."""
        x, y = at
        label = theme.text(13, t("hint.chip_on" if self.on else "hint.chip_off"), (200, 210, 225))
        self.chip = pygame.Rect((x, y), self.chip_size(t))
        pygame.draw.rect(surface, CHIP_RGB, self.chip, border_radius=5)
        pygame.draw.rect(surface, (90, 104, 124), self.chip, 1, border_radius=5)
        surface.blit(label, (x + PAD, y + 3))
        x, y, width = place
        self.boxes, self.lines = [], []
        for hint in self.current[: min(count, SHOWN_MAX)]:
            box, written = _draw_hint(surface, x, y, width, t("hint.shown", text=hint.text))
            self.boxes.append((box, hint))
            self.lines += [(words, where, box) for words, where in written]
            y = box.bottom + GAP

    def height(self, width: int, t: Callable[..., str], count: int = SHOWN_MAX) -> int:
        """How tall the first ``count`` hints of now are, drawn ``width`` wide (0: none)."""
        shown = [t("hint.shown", text=h.text) for h in self.current[: min(count, SHOWN_MAX)]]
        return sum(_box_height(width, words) + GAP for words in shown) - GAP if shown else 0


def _lines(width: int, shown: str) -> tuple[str, ...]:
    return theme.wrap(shown, 14, width - 2 * PAD)  # with Chinese line-breaking rules


def _box_height(width: int, shown: str) -> int:
    return len(_lines(width, shown)) * LINE_PX + 2 * PAD - 2


def _draw_hint(
    surface: pygame.Surface, x: int, y: int, width: int, shown: str
) -> tuple[pygame.Rect, list[tuple[str, pygame.Rect]]]:
    """One hint's box, drawn; the box and its lines with where each was written."""
    box = pygame.Rect(x, y, width, _box_height(width, shown))
    pygame.draw.rect(surface, HINT_BG, box, border_radius=6)
    pygame.draw.rect(surface, HINT_EDGE, box, 1, border_radius=6)
    written = []
    for i, line in enumerate(_lines(width, shown)):
        image = theme.text(14, line, HINT_TEXT)
        written.append((line, image.get_rect(topleft=(x + PAD, y + PAD - 2 + i * LINE_PX))))
        surface.blit(image, written[-1][1])
    return box, written
