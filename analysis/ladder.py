"""The score ladder: bots and degenerate commanders scored on each scenario and seed.

The score is only fair if it orders commanders as an instructor would and
cannot be earned without commanding. ``python -m analysis ladder`` plays, on
each scenario and seed, the idle bot (whose drill gives the anchors), the
naive and expert bots, the degenerate commanders of
:mod:`analysis.adversaries` and the two probes of spam and luck played beside
the expert, and checks the gates (:func:`gates`):

* every adversary at most :data:`ADVERSARY_MAX` (a degenerate policy stays
  far below a pass);
* the idle bot at most :data:`IDLE_MAX` (doing nothing is the floor);
* the naive bot between :data:`NAIVE_MIN` and :data:`NAIVE_MAX`;
* the expert at least :data:`EXPERT_MIN`;
* the expert plus ten identical texts a minute not above the expert
  (+ :data:`PROBE_SLACK`), and the expert plus one harmless text within
  ± :data:`PROBE_SLACK` of it;
* with three or more seeds, each policy's spread over the seeds at most
  :data:`SPREAD_MAX`. With fewer the gate cannot be checked: the output says
  so (:func:`unchecked`) and the verdict names it, rather than leave it out
  silently.

Items are listed by their names, as the report gives them.

Drills run as Dask tasks (:mod:`analysis.batch`): on a local cluster of
processes as wide as the machine, or on a running cluster given by its
scheduler's address; each policy's task waits on its rung's idle task for the
anchors. A worker sends back only a small :class:`Card`, never the drill's
events. A progress bar and one line a drill go to stderr.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sim
from analysis.adversaries import ADVERSARIES, PROBES, make_adversary
from analysis.baselines import make_any_bot
from analysis.batch import BatchFailed, as_done, dask_client, default_workers, progress_bar
from analysis.drilldata import DrillData, drill_from_events
from analysis.i18n import fmt, translator
from analysis.scoring import baseline_figures, score_drill
from analysis.target_words import DEFAULTS, NEEDS_FIELD, NEEDS_LABELS

if TYPE_CHECKING:
    from distributed import Client, Future

__all__ = ["default_workers"]  # re-exported for the command line (analysis.batch)

BOTS = ("idle", "naive", "expert")
POLICIES = BOTS + ADVERSARIES + PROBES
SHORT = {  # column headings of the table
    "idle": "idle",
    "naive": "naive",
    "expert": "expert",
    "panic_evacuate": "pan-ev",
    "panic_shelter": "pan-sh",
    "random_spam": "spam",
    "warn_only": "warn",
    "dispatch_only": "disp",
    "fire_and_forget": "f&f",
    "expert_resend": "x+res",
    "expert_noise": "x+noi",
}
IDLE_MAX = 20.0
NAIVE_MIN = 20.0
NAIVE_MAX = 60.0
EXPERT_MIN = 80.0
ADVERSARY_MAX = 40.0
PROBE_SLACK = 1.0
SPREAD_MAX = 5.0
SPREAD_MIN_SEEDS = 3  # the spread gate needs this many seeds to mean anything


@dataclass(frozen=True)
class Card:
    """The little a worker sends back of one policy's score card."""

    policy: str
    total: float
    process: float
    outcome: float | None
    cap: float | None
    met: tuple[str, ...]
    failed: tuple[str, ...]
    seconds: float
    needs_h: float = DEFAULTS[NEEDS_FIELD]  # the drill's basic-needs target (its item's name)


@dataclass(frozen=True)
class Rung:
    """One scenario and seed: each policy's total, and the items each failed and met."""

    scenario: str
    seed: int
    totals: dict[str, float]
    fails: dict[str, tuple[str, ...]]
    met: dict[str, tuple[str, ...]]
    targets: dict[str, float] = field(default_factory=dict)  # the drill's, where they differ

    @property
    def expert_fails(self) -> tuple[str, ...]:
        return self.fails.get("expert", ())

    @property
    def ordered(self) -> bool:
        """idle ≤ 20 < naive < expert."""
        t = self.totals
        return t["idle"] <= IDLE_MAX and t["idle"] < t["naive"] < t["expert"]

    @property
    def expert_at_par(self) -> bool:
        return self.totals["expert"] >= EXPERT_MIN


@dataclass(frozen=True)
class Gate:
    """One check of the ladder: its rule, whether it holds, and the figures behind it."""

    rule: str
    passed: bool
    figures: tuple[str, ...]


def make_policy(name: str, scenario: sim.Scenario, seed: int) -> object:
    """A ladder policy by name (:data:`POLICIES`): a bot or an adversary for this drill."""
    if name in BOTS:
        return make_any_bot(name, scenario)
    return make_adversary(name, scenario, seed)


@lru_cache(maxsize=8)
def _load(path: str) -> sim.LoadedScenario:
    return sim.load_scenario(path)


def play_policy(loaded: sim.LoadedScenario, seed: int, policy: str) -> DrillData:
    """A policy's whole drill, in memory, as the review reads it."""
    bot = make_policy(policy, loaded.scenario, seed)
    drill = sim.run_headless(loaded, seed, bot)  # type: ignore[arg-type]
    return drill_from_events(sim.make_header(loaded, seed), drill.events)


def card_of(policy: str, score: dict[str, Any], seconds: float = 0.0) -> Card:
    judgements = score["judgements"]
    return Card(
        policy=policy,
        total=float(score["total"]),
        process=float(score["process_score"]),
        outcome=score["outcome"]["score"],
        cap=score["critical_cap"],
        met=tuple(j["item"] for j in judgements if j["result"] == "yes"),
        failed=tuple(j["item"] for j in judgements if j["result"] == "no"),
        seconds=round(seconds, 2),
        needs_h=float((score.get("targets") or {}).get(NEEDS_FIELD, DEFAULTS[NEEDS_FIELD])),
    )


def _score_idle(loaded: sim.LoadedScenario, seed: int) -> tuple[dict[str, Any], Card]:
    """Task: the idle drill's anchors and its own card."""
    start = time.perf_counter()
    idle = play_policy(loaded, seed, "idle")
    figures = baseline_figures(idle)
    return figures, card_of("idle", score_drill(idle, figures), time.perf_counter() - start)


def _score_policy(
    loaded: sim.LoadedScenario, seed: int, policy: str, idle: tuple[dict[str, Any], Card]
) -> Card:
    """Task: one policy's drill, scored against the anchors of ``idle`` (its rung's idle
    task's result)."""
    start = time.perf_counter()
    drill = play_policy(loaded, seed, policy)
    return card_of(policy, score_drill(drill, idle[0]), time.perf_counter() - start)


def _rung(scenario: str, seed: int, cards: Iterable[Card], order: Sequence[str]) -> Rung:
    by = {c.policy: c for c in cards}
    names = [p for p in dict.fromkeys(order) if p in by]
    return Rung(
        scenario,
        seed,
        {p: by[p].total for p in names},
        {p: by[p].failed for p in names},
        {p: by[p].met for p in names},
        {NEEDS_FIELD: by[names[0]].needs_h} if names else {},
    )


def rung(path: str | Path, seed: int | None = None, policies: Sequence[str] = POLICIES) -> Rung:
    """Play ``policies`` (and the idle bot, for the anchors) on one scenario and seed (default:
    the scenario's), in this process, and score them."""
    loaded = _load(str(path))
    seed = loaded.scenario.meta.default_seed if seed is None else seed
    idle = _score_idle(loaded, seed)
    cards = [idle[1]] + [_score_policy(loaded, seed, p, idle) for p in policies if p != "idle"]
    return _rung(loaded.scenario.meta.id, seed, cards, ("idle", *policies))


def run_ladder(
    paths: Sequence[str | Path],
    seeds: Sequence[int | None] = (None,),
    policies: Sequence[str] = POLICIES,
    workers: int | None = None,
    progress: bool = False,
    scheduler: str | None = None,
    client: Client | None = None,
) -> list[Rung]:
    """Every policy on every scenario and seed, as Dask tasks on ``client``, else on the
    cluster at ``scheduler``, else on a local cluster of ``workers`` processes (default:
    :func:`~analysis.batch.default_workers`). The idle drill of each scenario and seed is
    played once, and its anchors go to the other policies' tasks. With ``progress``, a bar
    and one line a drill on stderr. Rungs come back in the order given; a task that raises
    stops the ladder with a RuntimeError naming its scenario, seed and policy."""
    unknown = [p for p in policies if p not in POLICIES]
    if unknown:
        raise LookupError(f"unknown policies {unknown}: choose from {', '.join(POLICIES)}")
    if client is None:
        with dask_client(scheduler, workers) as own:
            return run_ladder(paths, seeds, policies, progress=progress, client=own)
    order = ("idle", *(p for p in policies if p != "idle"))
    jobs: list[tuple[str, str, int]] = []  # (path, scenario id, seed)
    for path in paths:
        loaded = _load(str(path))
        for seed in seeds:
            resolved = loaded.scenario.meta.default_seed if seed is None else seed
            jobs.append((str(path), loaded.scenario.meta.id, resolved))
    futures: dict[Future, tuple[str, int, str]] = {}
    shipped = {p: client.scatter(_load(p), broadcast=True, hash=False) for p, _, _ in jobs}
    for path, _, seed in jobs:
        idle = client.submit(_score_idle, shipped[path], seed, pure=False)
        futures[idle] = (path, seed, "idle")
        for other in order[1:]:
            task = client.submit(_score_policy, shipped[path], seed, other, idle, pure=False)
            futures[task] = (path, seed, other)
    ids = {(p, s): name for p, name, s in jobs}
    cards: dict[tuple[str, int], list[Card]] = {(p, s): [] for p, _, s in jobs}
    total, done = len(futures), 0

    def note(key: tuple[str, int, str], result: Any) -> str:
        nonlocal done
        done += 1
        card = result[1] if key[2] == "idle" else result
        return (
            f"[{done:>{len(str(total))}}/{total}] {ids[key[:2]]} seed {key[1]} "
            f"{key[2]}: {card.total:.1f} ({card.seconds:.1f} s)"
        )

    with progress_bar(total, "ladder", "drill", show=progress) as bar:
        try:
            for (path, seed, policy), result in as_done(
                client, futures, bar, note if progress else None
            ):
                cards[(path, seed)].append(result[1] if policy == "idle" else result)
        except BatchFailed as failed:
            path, seed, policy = failed.key
            where = f"{ids[(path, seed)]} seed {seed} {policy}"
            raise RuntimeError(f"the ladder failed on {where}: {failed.cause!r}") from failed
    return [_rung(name, seed, cards[(path, seed)], order) for path, name, seed in jobs]


def _where(r: Rung) -> str:
    return f"{r.scenario} {r.seed}"


def gates(rungs: Sequence[Rung]) -> list[Gate]:
    """The ladder's checks over ``rungs`` (see the module docstring). A check whose policies
    were not played is left out; the spread check needs :data:`SPREAD_MIN_SEEDS` seeds."""
    out: list[Gate] = []

    def played(*names: str) -> list[Rung]:
        return [r for r in rungs if all(n in r.totals for n in names)]

    adversaries = [(r, a) for r in rungs for a in ADVERSARIES if a in r.totals]
    if adversaries:
        over = [(r, a) for r, a in adversaries if r.totals[a] > ADVERSARY_MAX]
        if over:
            figures = tuple(f"{_where(r)}: {a} {r.totals[a]:.1f}" for r, a in over)
        else:
            r, a = max(adversaries, key=lambda ra: ra[0].totals[ra[1]])
            figures = (f"highest: {a} {r.totals[a]:.1f} on {_where(r)}",)
        out.append(Gate(f"every adversary <= {ADVERSARY_MAX:g}", not over, figures))
    out += _bound_gate(played("idle"), "idle", f"idle <= {IDLE_MAX:g}", hi=IDLE_MAX)
    out += _bound_gate(
        played("naive"), "naive", f"{NAIVE_MIN:g} <= naive <= {NAIVE_MAX:g}", NAIVE_MIN, NAIVE_MAX
    )
    out += _bound_gate(played("expert"), "expert", f"expert >= {EXPERT_MIN:g}", lo=EXPERT_MIN)
    both = played("expert", "expert_resend")
    if both:
        worst = max(both, key=lambda r: r.totals["expert_resend"] - r.totals["expert"])
        bad = [r for r in both if r.totals["expert_resend"] > r.totals["expert"] + PROBE_SLACK]
        shown = bad or [worst]
        out.append(
            Gate(
                f"expert_resend <= expert + {PROBE_SLACK:g}",
                not bad,
                tuple(
                    f"{_where(r)}: {r.totals['expert_resend']:.1f} vs {r.totals['expert']:.1f}"
                    for r in shown
                ),
            )
        )
    both = played("expert", "expert_noise")
    if both:
        gap = {id(r): abs(r.totals["expert_noise"] - r.totals["expert"]) for r in both}
        bad = [r for r in both if gap[id(r)] > PROBE_SLACK]
        shown = bad or [max(both, key=lambda r: gap[id(r)])]
        out.append(
            Gate(
                f"|expert_noise - expert| <= {PROBE_SLACK:g}",
                not bad,
                tuple(
                    f"{_where(r)}: {r.totals['expert_noise']:.1f} vs {r.totals['expert']:.1f}"
                    for r in shown
                ),
            )
        )
    out += _spread_gate(rungs)
    return out


def _bound_gate(
    rungs: list[Rung], policy: str, rule: str, lo: float = -1e9, hi: float = 1e9
) -> list[Gate]:
    if not rungs:
        return []
    bad = [r for r in rungs if not lo <= r.totals[policy] <= hi]
    if bad:
        figures = tuple(f"{_where(r)}: {r.totals[policy]:.1f}" for r in bad)
    else:
        low = min(rungs, key=lambda r: r.totals[policy])
        high = max(rungs, key=lambda r: r.totals[policy])
        figures = (
            f"from {low.totals[policy]:.1f} ({_where(low)}) "
            f"to {high.totals[policy]:.1f} ({_where(high)})",
        )
    return [Gate(rule, not bad, figures)]


def unchecked(rungs: Sequence[Rung]) -> list[Gate]:
    """The gates these rungs cannot check, each with why and what to give: the spread gate
    when a scenario was played on fewer than :data:`SPREAD_MIN_SEEDS` seeds."""
    seeds: dict[str, list[int]] = {}
    for r in rungs:
        seeds.setdefault(r.scenario, []).append(r.seed)
    short = {s: v for s, v in seeds.items() if len(set(v)) < SPREAD_MIN_SEEDS}
    if not short:
        return []
    figures = tuple(
        f"{scenario}: {len(set(v))} seed{'s' if len(set(v)) > 1 else ''} "
        f"({', '.join(str(x) for x in sorted(set(v)))}); it needs {SPREAD_MIN_SEEDS} or more "
        "(--seeds 5,7,11)"
        for scenario, v in short.items()
    )
    return [Gate(f"each policy's spread over the seeds <= {SPREAD_MAX:g}", True, figures)]


def _spread_gate(rungs: Sequence[Rung]) -> list[Gate]:
    by_scenario: dict[str, list[Rung]] = {}
    for r in rungs:
        by_scenario.setdefault(r.scenario, []).append(r)
    spreads = []  # (spread, scenario, policy)
    for scenario, mine in by_scenario.items():
        if len({r.seed for r in mine}) < SPREAD_MIN_SEEDS:
            continue
        for policy in mine[0].totals:
            values = [r.totals[policy] for r in mine if policy in r.totals]
            spreads.append((max(values) - min(values), scenario, policy))
    if not spreads:
        return []
    bad = [s for s in spreads if s[0] > SPREAD_MAX]
    shown = bad or [max(spreads)]
    return [
        Gate(
            f"each policy's spread over the seeds <= {SPREAD_MAX:g}",
            not bad,
            tuple(f"{scenario} {policy}: {spread:.1f}" for spread, scenario, policy in shown),
        )
    ]


def format_rungs(rungs: Sequence[Rung]) -> str:
    """A plain-text table: one line per scenario and seed, one column per policy's total."""
    if not rungs:
        return ""
    policies = [p for p in POLICIES if any(p in r.totals for r in rungs)]
    width = {p: max(len(SHORT[p]), 5) + 2 for p in policies}
    name_w = max(len("scenario"), *(len(r.scenario) for r in rungs)) + 2
    lines = [
        f"{'scenario':<{name_w}}{'seed':>5}" + "".join(f"{SHORT[p]:>{width[p]}}" for p in policies)
    ]
    for r in rungs:
        cells = "".join(
            f"{r.totals[p]:>{width[p]}.1f}" if p in r.totals else " " * width[p] for p in policies
        )
        lines.append(f"{r.scenario:<{name_w}}{r.seed:>5}{cells}")
    legend = [f"{SHORT[p]} = {p}" for p in policies if SHORT[p] != p]
    if legend:
        lines.append("(" + ", ".join(legend) + ")")
    return "\n".join(lines)


def item_label(item: str, rungs: Sequence[Rung]) -> str:
    """An item by its name as the report gives it (English); the basic-needs item with the
    target of the drills in ``rungs`` ("within 3 h", "within 3 or 10 h")."""
    tr = translator("en")
    key = f"item.{item}"
    if key in NEEDS_LABELS:
        hours = sorted({r.targets.get(NEEDS_FIELD, DEFAULTS[NEEDS_FIELD]) for r in rungs})
        return tr(key + ".within", hours=_either(hours or [DEFAULTS[NEEDS_FIELD]]))
    text = tr(key)
    return item if text == f"[{key}]" else text


def _either(hours: Sequence[float]) -> str:
    """3 → "3"; 3 and 10 → "3 or 10"."""
    words = [fmt(float(h)) for h in hours]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def format_fails(rungs: Sequence[Rung]) -> str:
    """For each policy, the items it failed (by name) and where (scenario: seeds)."""
    lines = ["items failed:"]
    for policy in (p for p in POLICIES if any(p in r.fails for r in rungs)):
        where: dict[str, dict[str, list[int]]] = {}
        for r in rungs:
            for item in r.fails.get(policy, ()):
                where.setdefault(item, {}).setdefault(r.scenario, []).append(r.seed)
        if not where:
            lines.append(f"  {policy}: -")
            continue
        lines.append(f"  {policy}:")
        named = {
            item: item_label(item, [r for r in rungs if item in r.fails.get(policy, ())])
            for item in where
        }
        for item in sorted(where, key=lambda i: named[i]):
            at = "; ".join(
                f"{s} {','.join(str(seed) for seed in seeds)}" for s, seeds in where[item].items()
            )
            lines.append(f"    {named[item]} ({at})")
    return "\n".join(lines)


def format_gates(gate_list: Sequence[Gate], rungs: Sequence[Rung]) -> str:
    """Each gate as pass/FAIL with its figures, and each gate the rungs cannot check as
    "not checked" with why (:func:`unchecked`); then, for every adversary above the bar,
    the items it met (the ones to look at)."""
    lines = []
    for gate in gate_list:
        lines.append(f"{'pass' if gate.passed else 'FAIL'}  {gate.rule}")
        lines += [f"        {figure}" for figure in gate.figures]
    for gate in unchecked(rungs):
        lines.append(f"not checked  {gate.rule}")
        lines += [f"        {figure}" for figure in gate.figures]
    over = [(r, a) for r in rungs for a in ADVERSARIES if r.totals.get(a, 0.0) > ADVERSARY_MAX]
    if over:
        lines.append("adversaries above the bar, and the items they met:")
        for r, a in over:
            met = "; ".join(item_label(i, [r]) for i in r.met[a]) or "-"
            lines.append(f"  {a} on {_where(r)} ({r.totals[a]:.1f}): {met}")
    return "\n".join(lines)


def verdict(gate_list: Sequence[Gate], rungs: Sequence[Rung]) -> str:
    """The last line: "ladder: pass" / "ladder: FAIL", naming any gate not checked."""
    held = all(g.passed for g in gate_list)
    text = f"ladder: {'pass' if held else 'FAIL'}"
    skipped = unchecked(rungs)
    if skipped:
        text += " (not checked: " + "; ".join(g.rule for g in skipped) + ")"
    return text
