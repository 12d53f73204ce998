"""An input-level player: a bot's decisions carried out on the drill screen by mouse and keys.

    python -m ui.autoplay SCENARIO --bot expert --seed N --out LOG [--until MIN]
                          [--frames DIR] [--frame-every MIN] [--lang en|zh-CN]

Runs the real game headless (SDL's dummy video driver), starting straight on
the drill scene as the UI tests do (the seed and the log file are the
command line's), and plays it the way a person at the console would: each
minute of sim time it presses the pause key, looks at the screen (the same
snapshot the bot would get, read from the scene), asks the bot what to do,
and gives each order only by posted mouse and key events where the screen
shows things: a unit's icon, a zone's area, a facility's mark, a panel
button, a chooser line, a question's Yes. It may ask the map where it drew
something and what a click there would do (the hover text), as a person
looks before clicking; it never calls the engine. A unit a stack shows only
as its "+N" chip is picked from the chip's chooser; a mark under the critical
banner (a click there acknowledges the banner) is first moved into view with
the arrow keys. Then it presses pause again and lets the game loop advance
the drill at 120× to the next minute.

After each order it checks that the engine received exactly that command
(issuer aside: the screen speaks as the commander). A decision it cannot
carry out is reported by name with why (no control visible, target hidden,
refused) and fails the run (exit status 1). ``--until`` ends the drill at
that minute through the panel's "End drill" and its question.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame

from sim import (
    CloseRoad,
    CloseShelter,
    Command,
    DispatchUnit,
    IssueWarning,
    LiftShelterInPlace,
    MoveSupplies,
    OpenRoad,
    OpenShelter,
    OrderEvacuation,
    OrderShelterInPlace,
    RecallUnit,
    ReportUpward,
    RequestReinforcement,
    SetResponseLevel,
    command_to_json,
    load_scenario,
    make_bot,
)
from ui import input as intents
from ui.input import Select
from ui.panel import SUPPLY_AMOUNTS
from ui.scripted import Person
from ui.session import SPEEDS
from ui.targets import Plan

if TYPE_CHECKING:
    from ui.app import App
    from ui.scenes.drill import DrillScene

TOP_SPEED = len(SPEEDS) - 1  # key 7: 120×
FRAME_S = 0.125  # wall seconds per advancing frame: a quarter sim-minute at 120×, exactly
IDLE_S = 1 / 60  # frames while paused (the drill does not move)
DECISION_EVERY_MIN = 1.0
NOTABLE = ("set_response_level", "evacuate")  # shot every time (they ask first); others once
ZONE_REACH_PX = 120  # how far from a zone's centre the pointer looks for its open ground
MARK_REACH_PX = 16  # around a unit icon, incident or facility mark
PAN_TRIES = 40
CENTRE_BOX_PX = 120
MAX_ZOOM_STEPS = 4  # + pressed at most this often (1.25× each) to find a covered target
JOB_WAIT_S = 120.0


class NotCarried(Exception):
    """An order the screen would not let the player give: ``why`` is the short cause."""

    def __init__(self, why: str, detail: str) -> None:
        super().__init__(f"{why}: {detail}")
        self.why, self.detail = why, detail


class UsageError(ValueError):
    """Options that do not go together."""


@dataclass(frozen=True)
class Failure:
    """A decision not carried out exactly through the screen."""

    minute: float
    command: dict[str, Any]
    why: str  # no control visible, target hidden, refused, not received, different order
    detail: str

    def line(self) -> str:
        fields = ", ".join(f"{k}={v}" for k, v in self.command.items() if k != "type")
        order = f"{self.command['type']}({fields})"
        return f"  min {self.minute:g}: {order} — {self.why}: {self.detail}"


@dataclass
class Outcome:
    """What an autoplay run did."""

    decided: int = 0
    carried: int = 0
    failures: list[Failure] = field(default_factory=list)
    frames: list[Path] = field(default_factory=list)
    minutes: float = 0.0


def plain(command: Command | dict[str, Any]) -> dict[str, Any]:
    """A command's log form without its issuer (the bot issues as 'bot', the screen as
    'commander'; everything else must match)."""
    data = command if isinstance(command, dict) else command_to_json(command)
    return {k: v for k, v in data.items() if k != "issuer"}


def ring(reach_px: int, step_px: int = 1) -> Iterator[tuple[int, int]]:
    """Offsets nearest first: where a person's eye goes around a point."""
    offsets = [
        (dx, dy)
        for dx in range(-reach_px, reach_px + 1, step_px)
        for dy in range(-reach_px, reach_px + 1, step_px)
        if dx * dx + dy * dy <= reach_px * reach_px
    ]
    offsets.sort(key=lambda o: (o[0] * o[0] + o[1] * o[1], o))
    yield from offsets


class Autoplayer(Person):
    """A person who plays a bot's decisions on the drill screen (see the module docstring)."""

    def __init__(
        self,
        app: App,
        scene: DrillScene,
        bot: Any,
        frames_dir: Path | None = None,
        frame_every_min: float = 60.0,
        until_min: float | None = None,
    ) -> None:
        super().__init__(app, scene)
        self.bot = bot
        self.frames_dir = frames_dir
        self.frame_every_min = frame_every_min
        self.until_min = until_min
        self.outcome = Outcome()
        self.shown_kinds: set[str] = set()  # command types already shot
        self._next_frame_min = frame_every_min
        self.pointer = (0, 0)
        self.zoomed = 0  # + presses to undo after the order

    # -- the game loop ------------------------------------------------------------
    @property
    def session(self) -> Any:
        return self.scene.session

    def in_drill(self) -> bool:
        return self.app.scene is self.scene

    def frames(self, n: int = 2) -> None:
        """Frames while the drill is paused (or a question is open): time does not move."""
        for _ in range(n):
            if not self.in_drill():
                return
            self.app.step(IDLE_S)

    def start(self) -> None:
        """Top speed (key 7), then the pause key; one frame with no wall time passing."""
        for code in (pygame.K_7, pygame.K_SPACE):
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode=""))
        self.app.step(0.0)
        assert self.session.speed_index == TOP_SPEED and self.session.paused

    def advance_to(self, minute: float) -> None:
        """Unpause and let the game loop run until the drill clock shows ``minute``.

        Each frame is FRAME_S of wall time (a quarter sim-minute at 120×); once
        the game's clock target is there, frames pass no more wall time while
        the engine catches up within its per-frame budget.
        """
        session = self.session
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0, unicode=""))
        per_s = session.speed / 60.0
        while self.in_drill() and not session.finished and session.drill.now < minute:
            gap_s = max(0.0, (minute - max(session.target_min, session.drill.now)) / per_s)
            self.app.step(min(FRAME_S, gap_s))
        if self.in_drill() and not session.finished:
            self.key(pygame.K_SPACE)  # pause: look, then act

    def play(self) -> Outcome:
        """Play the drill to its end (or ``until_min``); return what happened."""
        self.start()
        session = self.session
        minute = 0.0
        while self.in_drill() and not session.finished:
            now = session.drill.now
            if self.until_min is not None and now >= self.until_min:
                self.end_drill()
                break
            self.outcome.minutes = now
            self.maybe_shoot_time(now)
            for command in self.bot.decide(session.snapshot):
                self.carry_out(command)
            minute += DECISION_EVERY_MIN
            stop = minute if self.until_min is None else min(minute, self.until_min)
            self.advance_to(min(stop, session.drill.end_min))
        self.outcome.minutes = session.drill.now
        self.leave_debrief()
        return self.outcome

    def end_drill(self) -> None:
        """End the drill as a trainee does: the drill-wide panel's End drill, then Yes."""
        self.clear()
        self.press_choice(lambda it: it == intents.Quick("end"), "end drill")

    def leave_debrief(self) -> None:
        """The debrief scores in the background; a player who only wanted the log leaves."""
        job = getattr(self.app.scene, "job", None)
        if job is not None and job.started:
            job.cancel()
            job.join(JOB_WAIT_S)  # let it stop at its next stage, not die mid-write

    # -- one decision ------------------------------------------------------------------
    def carry_out(self, command: Command) -> None:
        """Give ``command`` through the screen and check the engine got exactly it."""
        outcome = self.outcome
        outcome.decided += 1
        events = self.session.drill.events
        before = len(events)
        want = plain(command)
        minute = self.session.drill.now
        handler = HANDLERS.get(type(command))
        try:
            if handler is None:
                raise NotCarried("no control visible", "no path for this kind of order")
            handler(self, command)
        except NotCarried as why:
            outcome.failures.append(Failure(minute, want, why.why, why.detail))
            self.clear()
            self.unzoom()
            return
        given = [e.data for e in self.session.drill.events[before:] if e.kind == "CommandIssued"]
        if not given:
            outcome.failures.append(Failure(minute, want, "not received", "no command reached"))
        elif [plain(dict(g["command"])) for g in given] != [want]:
            got = "; ".join(str(plain(dict(g["command"]))) for g in given)
            outcome.failures.append(Failure(minute, want, "different order", got))
        elif not given[0]["accepted"]:
            outcome.failures.append(
                Failure(minute, want, "refused", f"engine: {given[0].get('reason')}")
            )
        else:
            outcome.carried += 1
        self.clear()
        self.unzoom()

    # -- looking and clicking ----------------------------------------------------------
    def clear(self) -> None:
        """Esc until nothing is selected, no list or question is open, no load is waiting."""
        scene = self.scene
        for _ in range(4):
            if not self.in_drill():
                return
            busy = scene.modal or scene.chooser.is_open or scene.supply_source
            if scene.selected is None and not busy:
                return
            self.key(pygame.K_ESCAPE)

    def covers(self) -> list[pygame.Rect]:
        """What the screen last drew over the map that takes a click itself: the critical
        banner (a click on it acknowledges its line, whatever map mark lies beneath)."""
        banner = self.scene.timeline.banner_rect
        return [] if banner is None else [banner]

    def covered(self, pos: tuple[int, int]) -> bool:
        return any(rect.collidepoint(pos) for rect in self.covers())

    def out_from_under(self, cover: pygame.Rect) -> int:
        """The arrow key that moves the map's marks out from under ``cover``: down (the
        up key) when there is more map below it than above, else up."""
        view = self.scene.map.rect
        return pygame.K_UP if view.bottom - cover.bottom > cover.top - view.top else pygame.K_DOWN

    def where(self, thing: Select) -> tuple[int, int] | None:
        """Where the map draws ``thing`` (a unit's icon, a mark, a zone's centre, a road)."""
        snap = self.session.snapshot
        camera = self.scene.map.camera
        if thing.kind == "unit":
            return self.scene.map.unit_screen_positions(snap).get(thing.id)
        if thing.kind == "road":
            xy = snap.map.node_xy
            middles = [
                ((xy[a][0] + xy[b][0]) / 2, (xy[a][1] + xy[b][1]) / 2)
                for a, b, road, _ in snap.map.edges
                if road == thing.id
            ]
            return camera.to_screen(*middles[len(middles) // 2]) if middles else None
        return self.scene.map.position_of(snap, thing)

    def reveal(self, thing: Select, margin: int = 20, centred: bool = False) -> tuple[int, int]:
        """Pan with the arrow keys until ``thing`` is well inside the map (or near its
        middle, before zooming in on it); its screen point."""
        rect = self.scene.map.rect.inflate(-2 * margin, -2 * margin)
        if centred:
            rect = pygame.Rect(0, 0, CENTRE_BOX_PX, CENTRE_BOX_PX)
            rect.center = self.scene.map.rect.center
        for _ in range(PAN_TRIES):
            pos = self.where(thing)
            if pos is None:
                raise NotCarried("target hidden", f"{thing.kind} {thing.id} is not on the map")
            covers = [r for r in self.covers() if r.inflate(margin, margin).collidepoint(pos)]
            if rect.collidepoint(pos) and not covers:
                return pos
            if rect.collidepoint(pos):
                self.key(self.out_from_under(covers[0]))
                continue
            keys = []
            if pos[0] < rect.left:
                keys.append(pygame.K_LEFT)
            elif pos[0] > rect.right:
                keys.append(pygame.K_RIGHT)
            if pos[1] < rect.top:
                keys.append(pygame.K_UP)
            elif pos[1] > rect.bottom:
                keys.append(pygame.K_DOWN)
            for code in keys:
                self.key(code)
        raise NotCarried("target hidden", f"{thing.kind} {thing.id} stays off the map view")

    def find(
        self, thing: Select, accept: Callable[[Plan], bool], reach: int
    ) -> tuple[tuple[int, int], Plan] | tuple[None, None]:
        """Look for a pixel where a click on ``thing`` does what ``accept`` wants; where
        marks and roads cover it, centre it and zoom in (the + key), as a person would."""
        for _ in range(MAX_ZOOM_STEPS):
            pos, plan = self.aim(self.reveal(thing), accept, reach)
            if pos is not None:
                return pos, plan
            self.reveal(thing, centred=True)
            self.key(pygame.K_PLUS)
            self.zoomed += 1
        return self.aim(self.reveal(thing), accept, reach)

    def unzoom(self) -> None:
        """Back out to the usual view after zooming in for an order."""
        while self.zoomed and self.in_drill():
            self.key(pygame.K_MINUS)
            self.zoomed -= 1

    def aim(self, centre: tuple[int, int], accept: Callable[[Plan], bool], reach: int) -> tuple:
        """The pixel nearest ``centre`` where the hover says a click does what ``accept`` wants."""
        rect = self.scene.map.rect
        step = 1 if reach <= MARK_REACH_PX else 3
        for dx, dy in ring(reach, step):
            pos = (centre[0] + dx, centre[1] + dy)
            if not rect.collidepoint(pos) or self.covered(pos):
                continue
            plan = self.scene.plan(pos)
            if accept(plan):
                return pos, plan
        return None, None

    def click_plan(self, pos: tuple[int, int], plan: Plan, wanted: object) -> None:
        """Click where the plan was read; if it opens a chooser, pick the line for ``wanted``."""
        self.move(pos)
        self.click(pos)
        if plan.kind != "choose":
            return
        index = next(i for i, o in enumerate(plan.options) if o.intention == wanted)
        buttons = list(self.scene.chooser.buttons.actions)
        if not self.scene.chooser.is_open or index >= len(buttons):
            raise NotCarried("target hidden", "the chooser did not list it")
        button = buttons[index]
        if not button.is_enabled:
            raise NotCarried("refused", f"chooser line disabled: {button.text}")
        self.click(button.rect.center)

    def select(self, thing: Select) -> None:
        """Click ``thing`` on the map (through a chooser where marks share the point)."""
        self.clear()

        def accept(plan: Plan) -> bool:
            if plan.kind == "select":
                return plan.intention == thing
            return plan.kind == "choose" and any(o.intention == thing for o in plan.options)

        reach = ZONE_REACH_PX if thing.kind == "zone" else MARK_REACH_PX
        pos, plan = self.find(thing, accept, reach)
        if pos is None:
            where = f"{thing.kind} {thing.id}"
            raise NotCarried("target hidden", f"no click on the map selects {where}")
        self.click_plan(pos, plan, thing)
        if self.scene.selected != thing:
            raise NotCarried("target hidden", f"the click did not select {thing.kind} {thing.id}")

    def press_choice(
        self, wanted: Callable[[object], bool], what: str, shoot: str | None = None
    ) -> None:
        """Press the panel button carrying an order ``wanted`` accepts; answer its question."""
        scene = self.scene
        screen = self.app.screen.get_rect()
        for (rect, choice), button in zip(
            scene.panel.placed, list(scene.buttons.actions), strict=False
        ):
            if not wanted(choice.intention):
                continue
            if choice.why is not None or not button.is_enabled:
                raise NotCarried("refused", f"'{button.text}' is disabled ({choice.why})")
            if not screen.contains(rect):
                raise NotCarried("no control visible", f"'{button.text}' is off the screen")
            self.move(rect.center)
            if shoot:
                self.shoot(shoot)
            self.click(rect.center)
            self.answer(shoot)
            return
        labels = [c.label for _, c in scene.panel.placed]
        raise NotCarried("no control visible", f"{what} not among the panel's buttons {labels}")

    def move(self, pos: tuple[int, int]) -> None:
        self.pointer = pos
        super().move(pos)

    def has_choice(self, wanted: Callable[[object], bool]) -> bool:
        return any(wanted(choice.intention) for _, choice in self.scene.panel.placed)

    def answer(self, shoot: str | None = None) -> None:
        """Yes to the question the order asked (re-task, thousands evacuated, level I, end)."""
        scene = self.scene
        if not self.in_drill() or not scene.modal:
            return
        if shoot:
            self.shoot(f"{shoot}-asks")
        buttons = list(scene.modal_buttons.actions)
        self.click(buttons[0].rect.center)

    # -- frames ----------------------------------------------------------------------------
    def shoot(self, name: str) -> None:
        if self.frames_dir is None:
            return
        self.frames_dir.mkdir(parents=True, exist_ok=True)
        seq = len(self.outcome.frames) + 1
        path = self.frames_dir / f"{seq:02d}-min{self.session.drill.now:03.0f}-{name}.png"
        picture = self.app.screen.copy()
        draw_pointer(picture, self.pointer)  # the dummy display has no cursor of its own
        pygame.image.save(picture, str(path))
        self.outcome.frames.append(path)

    def maybe_shoot_time(self, now: float) -> None:
        if self.frames_dir is None or now < self._next_frame_min:
            return
        self._next_frame_min = now + self.frame_every_min
        self.clear()
        self.shoot("clock")

    def notable(self, kind: str) -> str | None:
        """A frame name for the first order of each kind (and every level or evacuation)."""
        if self.frames_dir is None:
            return None
        if kind in self.shown_kinds and kind not in NOTABLE:
            return None
        self.shown_kinds.add(kind)
        return kind


def draw_pointer(surface: pygame.Surface, pos: tuple[int, int]) -> None:
    """An arrow cursor with its tip at ``pos`` (only in saved frames)."""
    x, y = pos
    arrow = [(x, y), (x, y + 17), (x + 4, y + 13), (x + 7, y + 20), (x + 10, y + 19),
             (x + 7, y + 12), (x + 12, y + 12)]  # fmt: skip
    pygame.draw.polygon(surface, (255, 255, 255), arrow)
    pygame.draw.polygon(surface, (0, 0, 0), arrow, 1)


# -- orders, one path each -------------------------------------------------------------------
def _level(p: Autoplayer, c: SetResponseLevel) -> None:
    p.clear()
    wanted = intents.SetLevel(c.level.value)
    p.press_choice(lambda it: it == wanted, f"level {c.level.value}", p.notable(c.type))


def _reinforce(p: Autoplayer, c: RequestReinforcement) -> None:
    p.clear()
    wanted = intents.Reinforce(c.reinforcement)
    p.press_choice(lambda it: it == wanted, f"reinforcement {c.reinforcement}", p.notable(c.type))


def _report(p: Autoplayer, c: ReportUpward) -> None:
    p.clear()
    wanted = intents.Report(c.to.value, c.final)
    for _ in range(3):  # the "To:" button cycles county, city, province
        if p.has_choice(lambda it: it == wanted):
            break
        p.press_choice(lambda it: it == intents.Quick("report_to"), "report recipient")
    p.press_choice(lambda it: it == wanted, f"report to {c.to.value}", p.notable(c.type))


def _shelter_open(p: Autoplayer, c: OpenShelter | CloseShelter) -> None:
    p.select(Select("facility", c.shelter))
    wanted = intents.SetShelterOpen(c.shelter, isinstance(c, OpenShelter))
    p.press_choice(lambda it: it == wanted, c.type, p.notable(c.type))


def _warn(p: Autoplayer, c: IssueWarning) -> None:
    p.select(Select("zone", c.zone))
    wanted = intents.Warn(c.zone, c.level.value, c.channel.value)
    for _ in range(3):  # the channel button cycles broadcast, SMS, door to door
        if p.has_choice(lambda it: it == wanted):
            break
        p.press_choice(lambda it: it == intents.Quick("channel"), "warning channel")
    what = f"warn {c.level.value} by {c.channel.value}"
    p.press_choice(lambda it: it == wanted, what, p.notable(c.type))


def _zone_order(make: Callable[[Any], object]) -> Callable[[Autoplayer, Any], None]:
    def run(p: Autoplayer, c: Any) -> None:
        p.select(Select("zone", c.zone))
        wanted = make(c)
        p.press_choice(lambda it: it == wanted, c.type, p.notable(c.type))

    return run


def _dispatch(p: Autoplayer, c: DispatchUnit) -> None:
    snap = p.session.snapshot
    kinds = {i.id: "incident" for i in snap.incidents}
    kinds.update({z.id: "zone" for z in snap.zones})
    kinds.update({f.id: "facility" for f in snap.facilities})
    target = Select(kinds.get(c.target, "facility"), c.target)
    wanted = intents.Dispatch(c.unit, c.target)
    shoot = p.notable(c.type)
    p.select(Select("unit", c.unit))
    if not p.scene.armed:
        raise NotCarried("refused", f"{c.unit} is not armed after its click")

    def accept(plan: Plan) -> bool:
        if plan.kind == "order":
            return plan.intention == wanted
        return plan.kind == "choose" and any(
            o.intention == wanted and o.why is None for o in plan.options
        )

    reach = ZONE_REACH_PX if target.kind == "zone" else MARK_REACH_PX
    pos, plan = p.find(target, accept, reach)
    if pos is None:
        # The target's own panel lists the units that could go ("Send …"): the other way.
        p.select(target)
        p.press_choice(lambda it: it == wanted, f"send {c.unit} to {c.target}", shoot)
        return
    if shoot:
        p.move(pos)
        p.shoot(shoot)
    p.click_plan(pos, plan, wanted)
    p.answer(shoot)


def _recall(p: Autoplayer, c: RecallUnit) -> None:
    p.select(Select("unit", c.unit))
    wanted = intents.Recall(c.unit)
    p.press_choice(lambda it: it == wanted, f"recall {c.unit}", p.notable(c.type))


def _supplies(p: Autoplayer, c: MoveSupplies) -> None:
    """Source's panel: the item and amount buttons cycle; 'Send to…' lists destinations,
    whose buttons carry the load the screen would send (the amount, at most the stock)."""
    scene, t = p.scene, p.scene.t
    p.select(Select("facility", c.source))
    item_label = t("panel.supply_item", item=t.enum("item", c.item.value))
    is_item = lambda it: it == intents.Quick("supply_item")  # noqa: E731
    for _ in range(8):
        labels = [ch.label for _, ch in scene.panel.placed if is_item(ch.intention)]
        if not labels:
            raise NotCarried("no control visible", f"no supply buttons at {c.source}")
        if labels[0] == item_label:
            break
        p.press_choice(is_item, "supply item")
    else:
        raise NotCarried("no control visible", f"{c.source} offers no {c.item.value}")
    shoot = p.notable(c.type)
    offered: list[float] = []
    for _ in range(len(SUPPLY_AMOUNTS)):  # the amount button goes once round its cycle
        p.press_choice(lambda it: it == intents.Quick("supply_send"), "send to…")
        loads = [
            ch.intention
            for _, ch in scene.panel.placed
            if isinstance(ch.intention, intents.SendSupplies)
            and ch.intention.destination == c.destination
        ]
        if not loads:
            raise NotCarried("no control visible", f"{c.destination} not among the destinations")
        load = loads[0]
        if math.isclose(load.amount, c.amount, rel_tol=0, abs_tol=1e-9):
            p.press_choice(lambda it, load=load: it == load, f"send to {c.destination}", shoot)
            return
        offered.append(load.amount)
        p.press_choice(lambda it: it == intents.Quick("supply_cancel"), "cancel")
        p.press_choice(lambda it: it == intents.Quick("supply_amount"), "supply amount")
    shown = ", ".join(f"{a:,.0f}" for a in sorted(set(offered)))
    raise NotCarried("no control visible", f"amount {c.amount:,.2f} not offered (offers {shown})")


def _road(p: Autoplayer, c: CloseRoad | OpenRoad) -> None:
    p.select(Select("road", c.road))
    wanted = intents.SetRoadOpen(c.road, isinstance(c, OpenRoad))
    p.press_choice(lambda it: it == wanted, c.type, p.notable(c.type))


HANDLERS: dict[type, Callable[[Autoplayer, Any], None]] = {
    SetResponseLevel: _level,
    RequestReinforcement: _reinforce,
    ReportUpward: _report,
    OpenShelter: _shelter_open,
    CloseShelter: _shelter_open,
    IssueWarning: _warn,
    OrderEvacuation: _zone_order(lambda c: intents.Evacuate(c.zone, c.shelter)),
    OrderShelterInPlace: _zone_order(lambda c: intents.ShelterInPlace(c.zone)),
    LiftShelterInPlace: _zone_order(lambda c: intents.AllClear(c.zone)),
    DispatchUnit: _dispatch,
    RecallUnit: _recall,
    MoveSupplies: _supplies,
    CloseRoad: _road,
    OpenRoad: _road,
}


def press_label(app: App, label: str) -> None:
    """Click the button of the scene in play that shows ``label`` (menus: no drill runs yet).

    Frames pass no wall time, so the drill scene the last click opens starts at minute 0.
    """
    for button in app.scene.buttons.actions:  # type: ignore[union-attr]
        if button.text == label and button.is_enabled:
            pos = button.rect.center
            pygame.event.post(
                pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
            )
            app.step(0.0)
            for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
                pygame.event.post(pygame.event.Event(kind, pos=pos, button=1))
            for _ in range(3):
                app.step(0.0)
            return
    labels = [b.text for b in app.scene.buttons.actions]  # type: ignore[union-attr]
    raise NotCarried("no control visible", f"no button {label!r} among {labels}")


def walk_in(app: App, scenario: Path) -> DrillScene:
    """The trainee's way to the drill: title (Start), picker (the drill's row, Brief me),
    briefing (Take command). The game's own seed and log folder, as for a trainee."""
    from ui.scenes.drill import DrillScene
    from ui.scenes.title import TitleScene

    t = app.t
    app.switch(TitleScene(app))
    app.step(0.0)
    press_label(app, t("title.start"))
    meta = load_scenario(scenario).scenario.meta
    press_label(app, t.pick(meta.title.en, meta.title.zh))
    press_label(app, t("picker.choose"))
    press_label(app, t("briefing.start"))
    scene = app.scene
    if not isinstance(scene, DrillScene):
        raise NotCarried("no control visible", "the briefing did not open the drill")
    return scene


def autoplay(
    scenario: Path,
    bot_name: str = "expert",
    seed: int | None = None,
    out: Path | None = None,
    until_min: float | None = None,
    frames_dir: Path | None = None,
    frame_every_min: float = 60.0,
    language: str = "en",
    size: tuple[int, int] = (1280, 720),
    from_title: bool = False,
) -> Outcome:
    """Play ``scenario`` with ``bot_name``'s decisions through the screen; the log goes to
    ``out``. ``from_title`` comes in through the menus (the scenario's own seed; the log
    is written where the game keeps a trainee's and copied to ``out``)."""
    from ui.app import App
    from ui.scenes.drill import DrillScene

    loaded = load_scenario(scenario)
    default_seed = loaded.scenario.meta.default_seed
    seed = default_seed if seed is None else seed
    if from_title and seed != default_seed:
        raise UsageError(f"through the menus the drill runs on its own seed {default_seed}")
    app = App(language=language, size=size, cli_scenario=scenario if from_title else None)
    try:
        if from_title:
            scene = walk_in(app, scenario)
        else:
            scene = DrillScene(app, loaded, seed, log_path=out)
            app.switch(scene)
        bot = make_bot(bot_name, scene.session.loaded.scenario)
        player = Autoplayer(app, scene, bot, frames_dir, frame_every_min, until_min)
        outcome = player.play()
        scene.session.close()
        if from_title and out is not None:
            shutil.copyfile(scene.session.log_path, out)
    finally:
        pygame.quit()
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", type=Path)
    parser.add_argument("--bot", default="expert", choices=["idle", "expert"])
    parser.add_argument("--seed", type=int, default=None, help="default: the scenario's seed")
    parser.add_argument("--out", type=Path, required=True, help="drill log to write")
    parser.add_argument("--until", type=float, default=None, help="end the drill at this minute")
    parser.add_argument("--frames", type=Path, default=None, help="save PNG frames here")
    parser.add_argument("--frame-every", type=float, default=60.0, help="sim minutes per frame")
    parser.add_argument("--lang", default="en", choices=["en", "zh-CN"])
    parser.add_argument("--size", default="1280x720")
    parser.add_argument(
        "--from-title",
        action="store_true",
        help="come in through the title, picker and briefing (the drill's own seed)",
    )
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    try:
        outcome = run(args, (width, height))
    except UsageError as exc:
        parser.error(str(exc))
    print(
        f"{args.scenario.name}: {outcome.carried} of {outcome.decided} decisions carried out "
        f"through the screen by minute {outcome.minutes:g}; log {args.out}"
    )
    if outcome.frames:
        print(f"{len(outcome.frames)} frames in {args.frames}")
    if outcome.failures:
        print(f"{len(outcome.failures)} decisions not carried out:")
        for failure in outcome.failures:
            print(failure.line())
        return 1
    return 0


def run(args: argparse.Namespace, size: tuple[int, int]) -> Outcome:
    return autoplay(
        args.scenario,
        args.bot,
        args.seed,
        args.out,
        args.until,
        args.frames,
        args.frame_every,
        args.lang,
        size,
        args.from_title,
    )


if __name__ == "__main__":
    sys.exit(main())
