"""People left on the move when the drill ended, and the shelters that filled.

No score item judges this, yet a reviewer must read it: evacuees still on the
road (or waiting at the door of a full shelter) when the drill ends are neither
safe nor counted as harmed. The after-action report states it as a finding of
its own (not scored), with the numbers and the places: how many were still
evacuating, from which zones and to which shelter; which shelters filled, when,
with how many places against how many people were sent there; and which
evacuations found no open road to their shelter (the log's ``ShelterFull`` and
``EvacuationBlocked`` events). A pure function of the drill log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analysis.costliest import clock
from analysis.drilldata import DrillData
from analysis.names import Names
from sim.population import PersonState

Tr = Callable[..., str]
DIMENSION = "protection"  # the capability the finding belongs to (Annex A: protection of people)


@dataclass(frozen=True)
class FullShelter:
    shelter: str
    at: str  # clock time it filled
    places: int
    waiting: int  # people at its door when it filled
    sent_zones: tuple[str, ...]  # zones ordered to it
    sent_people: int  # their population


@dataclass(frozen=True)
class Stranded:
    """What the log shows of people left on the move (ids; the report names them)."""

    on_the_move: int  # people still evacuating when the drill ended
    ended_at: str  # clock time the drill ended
    counted_at: str  # clock time of the last count by zone
    by_zone: tuple[tuple[str, int, str | None], ...]  # (zone, people, shelter sent to), most first
    full: tuple[FullShelter, ...]
    blocked: tuple[tuple[str, str, str], ...]  # (zone, shelter, clock time)

    @property
    def anything(self) -> bool:
        return bool(self.on_the_move or self.full or self.blocked)


def at_end(drill: DrillData) -> Stranded:
    """People on the move at the end, shelters that filled and evacuations blocked."""
    last = drill.samples[-1] if drill.samples else None
    people = drill.outcome.get("people") or (last.data["people"] if last else {})
    sent: dict[str, str] = {}  # zone -> shelter of its latest evacuation order
    for e in drill.of("EvacuationOrdered"):
        sent[str(e.data["zone"])] = str(e.data.get("shelter", ""))
    zones = last.data.get("zones", {}) if last else {}
    by_zone = sorted(
        (
            (zone, int(counts[PersonState.EVACUATING]), sent.get(zone))
            for zone, counts in zones.items()
            if len(counts) > PersonState.EVACUATING and counts[PersonState.EVACUATING]
        ),
        key=lambda row: (-row[1], row[0]),
    )
    return Stranded(
        on_the_move=int(people.get("evacuating", 0)),
        ended_at=clock(drill, drill.end_min),
        counted_at=clock(drill, last.t_min) if last else clock(drill, drill.end_min),
        by_zone=tuple(by_zone),
        full=_full_shelters(drill, sent),
        blocked=tuple(
            (str(e.data["zone"]), str(e.data.get("shelter", "")), clock(drill, e.t_min))
            for e in drill.of("EvacuationBlocked")
        ),
    )


def _full_shelters(drill: DrillData, sent: dict[str, str]) -> tuple[FullShelter, ...]:
    facilities = {f.id: f for f in drill.scenario.facilities}
    population = {z.id: z.population for z in drill.scenario.zones}
    out = []
    for e in drill.of("ShelterFull"):
        shelter = str(e.data["shelter"])
        mine = tuple(z for z, s in sent.items() if s == shelter)
        places = facilities[shelter].capacity if shelter in facilities else 0
        out.append(
            FullShelter(
                shelter,
                clock(drill, e.t_min),
                int(places),
                int(e.data.get("waiting", 0)),
                mine,
                sum(population.get(z, 0) for z in mine),
            )
        )
    return tuple(out)


def finding_rows(found: Stranded | None, names: Names) -> list[list[str]]:
    """Rows for the findings table (grade, capability, item, what the log shows)."""
    if found is None:
        return []
    tr = names.tr
    grade, dim = tr("grade.observed"), tr(f"dim.{DIMENSION}")
    rows = []
    if found.on_the_move:
        zones = names.listing(
            tr("stranded.zone_to", zone=names.zone(z), n=f"{n:,}", shelter=names.facility(s))
            if s
            else tr("stranded.zone", zone=names.zone(z), n=f"{n:,}")
            for z, n, s in found.by_zone
        )
        key = "stranded.on_the_move" if found.by_zone else "stranded.on_the_move_total"
        text = tr(
            key,
            n=f"{found.on_the_move:,}",
            ended=found.ended_at,
            zones=zones,
            counted=found.counted_at,
        )
        rows.append([grade, dim, tr("stranded.item.on_the_move"), text])
    if found.full:
        shelters = names.clauses(
            tr(
                "stranded.full_one",
                shelter=names.facility(f.shelter),
                at=f.at,
                places=f"{f.places:,}",
                waiting=f"{f.waiting:,}",
                sent=f"{f.sent_people:,}",
                zones=names.listing(names.zone(z) for z in f.sent_zones),
            )
            for f in found.full
        )
        rows.append([grade, dim, tr("stranded.item.full"), tr("stranded.full", shelters=shelters)])
    if found.blocked:
        blocked = names.listing(
            tr("stranded.blocked_one", zone=names.zone(z), shelter=names.facility(s), at=at)
            for z, s, at in found.blocked
        )
        rows.append(
            [grade, dim, tr("stranded.item.blocked"), tr("stranded.blocked", blocked=blocked)]
        )
    return rows


def plan_rows(found: Stranded | None, tr: Tr) -> list[list[str]]:
    """Rows for the improvement plan (capability, observation, recommendation, grade)."""
    if found is None:
        return []
    dim, grade = tr(f"dim.{DIMENSION}"), tr("grade.observed")
    parts = (
        ("on_the_move", found.on_the_move),
        ("full", found.full),
        ("blocked", found.blocked),
    )
    return [
        [dim, tr(f"stranded.item.{part}"), tr(f"stranded.rec.{part}"), grade]
        for part, present in parts
        if present
    ]
