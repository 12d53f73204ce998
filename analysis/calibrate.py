"""Calibration: how hard a drill is, and how much luck moves its score.

``python -m analysis calibrate SCENARIO --seeds 200`` plays each bot (idle,
naive, expert) on many seeds as Dask tasks (:mod:`analysis.batch`) and
scores every drill against the scenario's anchors, the same anchors a
trainee's report uses (the idle bot on :data:`analysis.baselines.ANCHOR_SEEDS`).
It writes a folder with ``calibration.json`` (every drill's figures and each
bot's distribution of score and harm: mean, spread, percentiles, the share
that pass, the items most often failed) and ``calibration.<lang>.png`` (the
distributions drawn), each file whole or not at all. An instructor reads how
far apart the bots stand (how hard the drill is) and how wide each bot's band
is over the seeds (how much luck moves it).
"""

from __future__ import annotations

import argparse
import io
import json
import textwrap
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

import sim
from analysis.baselines import ANCHOR_SEEDS, make_any_bot
from analysis.batch import (
    BatchFailed,
    chunked,
    dask_client,
    each_done,
    progress_bar,
    run_chunk,
    slots,
)
from analysis.drilldata import drill_from_events
from analysis.scoring import PASS_MARK, baseline_figures, mean_figures, score_drill
from analysis.target_words import DEFAULTS
from analysis.target_words import label as item_label

if TYPE_CHECKING:
    from distributed import Client, Future
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

BOTS = ("idle", "naive", "expert")
PERCENTILES = (5, 25, 50, 75, 95)
FORMAT = 1  # calibration.json's layout version
Tr = Callable[..., str]


@dataclass(frozen=True)
class DrillFigures:
    """What a task sends back of one bot's drill on one seed."""

    bot: str
    seed: int
    total: float
    process: float
    outcome: float | None
    harm: float  # the harm index, deaths-equivalents
    deaths: float
    injuries: float
    capped: bool  # a critical item failed
    failed: tuple[str, ...]
    scale: tuple[float, float]  # harm of doing nothing (0) and of the unpreventable (100)
    seconds: float


def _anchor_figures(loaded: sim.LoadedScenario, seed: int) -> dict[str, Any]:
    """Task: the idle bot's drill on an anchor seed, as :func:`baseline_figures`."""
    played = sim.run_headless(loaded, seed, sim.make_bot("idle", loaded.scenario))
    return baseline_figures(drill_from_events(sim.make_header(loaded, seed), played.events))


def _anchors(*runs: dict[str, Any]) -> dict[str, Any]:
    """Task: the anchors of the anchor seeds' idle drills."""
    return mean_figures(list(runs))


def play_and_score(
    loaded: sim.LoadedScenario, bot: str, seed: int, figures: Mapping[str, Any]
) -> DrillFigures:
    """Task: ``bot``'s drill on ``seed``, in memory, scored against ``figures``."""
    start = time.perf_counter()
    played = sim.run_headless(loaded, seed, make_any_bot(bot, loaded.scenario))  # type: ignore[arg-type]
    drill = drill_from_events(sim.make_header(loaded, seed), played.events)
    card = score_drill(drill, figures)
    parts = card["outcome"]["parts"]
    return DrillFigures(
        bot=bot,
        seed=seed,
        total=float(card["total"]),
        process=float(card["process_score"]),
        outcome=card["outcome"]["score"],
        harm=float(card["outcome"]["harm"]),
        deaths=float(parts["deaths"]),
        injuries=float(parts["injuries"]),
        capped=card["critical_cap"] is not None,
        failed=tuple(j["item"] for j in card["judgements"] if j["result"] == "no"),
        scale=(float(card["outcome"]["floor"]), float(card["outcome"]["ceiling"])),
        seconds=round(time.perf_counter() - start, 3),
    )


def run_calibration(
    loaded: sim.LoadedScenario,
    seeds: Sequence[int],
    client: Client,
    bots: Sequence[str] = BOTS,
    progress: str | None = None,
) -> tuple[dict[str, Any], list[DrillFigures]]:
    """(anchors, every drill's figures in bot then seed order), played as tasks on
    ``client``. ``progress`` is the progress bar's label (None: no bar). Raises
    :class:`~analysis.batch.BatchFailed` naming (bot, seed) if a drill fails."""
    shipped = client.scatter(loaded, broadcast=True, hash=False)
    runs = [client.submit(_anchor_figures, shipped, s, pure=False) for s in ANCHOR_SEEDS]
    anchors = client.submit(_anchors, *runs, pure=False)
    jobs = [(bot, seed) for seed in seeds for bot in bots]  # dealt out: each chunk mixes bots
    futures: dict[Future, list[tuple[str, int]]] = {
        client.submit(run_chunk, play_and_score, shipped, chunk, anchors, pure=False): chunk
        for chunk in chunked(jobs, slots(client))
    }
    got: dict[tuple[str, int], DrillFigures] = {}
    with progress_bar(len(jobs), progress or "", "drill", show=progress is not None) as bar:
        for key, result in each_done(client, futures, bar):
            got[key] = result
    return anchors.result(), [got[(bot, seed)] for bot in bots for seed in seeds]


def distribution(values: Sequence[float]) -> dict[str, float]:
    """Mean, standard deviation, min, :data:`PERCENTILES` and max of ``values``."""
    array = np.asarray(values, dtype=float)
    out = {"mean": float(array.mean()), "sd": float(array.std(ddof=1)) if len(array) > 1 else 0.0}
    out["min"] = float(array.min())
    out.update({f"p{q}": float(np.percentile(array, q)) for q in PERCENTILES})
    out["max"] = float(array.max())
    return {k: round(v, 3) for k, v in out.items()}


def summarise(loaded: sim.LoadedScenario, drills: Sequence[DrillFigures]) -> dict[str, Any]:
    """The calibration as plain JSON: per bot the distribution of total and harm, the share
    of seeds that pass and that hit the critical cap, and how often each item failed."""
    bots: dict[str, Any] = {}
    for bot in dict.fromkeys(d.bot for d in drills):
        mine = [d for d in drills if d.bot == bot]
        failed: dict[str, int] = {}
        for d in mine:
            for item in d.failed:
                failed[item] = failed.get(item, 0) + 1
        bots[bot] = {
            "drills": len(mine),
            "total": distribution([d.total for d in mine]),
            "harm": distribution([d.harm for d in mine]),
            "deaths": distribution([d.deaths for d in mine]),
            "pass_share": round(sum(d.total >= PASS_MARK for d in mine) / len(mine), 4),
            "capped_share": round(sum(d.capped for d in mine) / len(mine), 4),
            "failed_items": {
                item: round(n / len(mine), 4)
                for item, n in sorted(failed.items(), key=lambda kv: (-kv[1], kv[0]))
            },
        }
    floor, ceiling = drills[0].scale  # every drill is scored on the same anchors
    return {
        "format": FORMAT,
        "scenario_id": loaded.scenario.meta.id,
        "title": loaded.scenario.meta.title.model_dump(),  # the plot's title, by language
        "scenario_hash": loaded.content_hash,
        "engine_version": sim.__version__,
        "seeds": sorted({d.seed for d in drills}),
        "pass_mark": PASS_MARK,
        "targets": loaded.scenario.scoring.targets.model_dump(),  # the items' names state them
        "anchors": {"seeds": list(ANCHOR_SEEDS), "floor_harm": floor, "ceiling_harm": ceiling},
        "bots": bots,
        "drills": [{k: v for k, v in asdict(d).items() if k != "scale"} for d in drills],
    }


BOT_COLOURS = {"idle": "#9e9e9e", "naive": "#fb8c00", "expert": "#1e88e5"}
TITLE_CHARS = 110  # a longer title (a long scenario title) is wrapped


# A label and where it may go: (anchor in data coordinates, offset in points, alignment).
Spot = tuple[tuple[float, float], tuple[float, float], str]
Placed = list[tuple[Any, list[Spot]]]


def spread(
    ax: Axes, summary: Mapping[str, Any], figure: str, tr: Tr, labels: Placed | None = None
) -> list[Any]:
    """One row per bot: every seed's ``figure`` ("total" or "harm") as a dot, the p5–p95
    band as a thin bar and the p25–p75 band as a thick one, the median as a tick; the pass
    mark (score) or the two anchors (harm) as lines.

    Each label is drawn at its first spot; ``labels`` (if given) receives each with the
    spots it may take, for :func:`keep_inside` once the figure is laid out."""
    bots = [b for b in BOTS if b in summary["bots"]]  # idle at the bottom, expert on top
    drills = summary["drills"]
    rng = np.random.default_rng(0)  # jitter only, so the dots do not hide one another
    artists: list[Any] = []
    movable: Placed = []
    for row, bot in enumerate(bots):
        values = np.array([d[figure] for d in drills if d["bot"] == bot], dtype=float)
        d = summary["bots"][bot][figure]
        colour = BOT_COLOURS.get(bot, "#5e35b1")
        y = row + 0.28 + rng.uniform(-0.1, 0.1, len(values))  # the seeds, above their bars
        artists.append(ax.scatter(values, y, s=9, color=colour, alpha=0.5, linewidths=0))
        artists += ax.plot([d["p5"], d["p95"]], [row, row], color="#212121", lw=1.2)
        artists += ax.plot([d["p25"], d["p75"]], [row, row], color=colour, lw=6)
        artists += ax.plot([d["p50"]], [row], marker="|", ms=12, mew=2, color="#c62828")
        width = d["p95"] - d["p5"]
        text = tr(
            "calibrate.plot.band", width=f"{width:.1f}" if figure == "total" else f"{width:.2f}"
        )
        spots: list[Spot] = [  # right of the band, left of it, under its middle
            ((d["p95"], row), (6, -3), "left"),
            ((d["p5"], row), (-6, -3), "right"),
            ((d["p50"], row), (0, -16), "center"),
        ]
        clear = {"fc": "white", "ec": "none", "alpha": 0.8, "pad": 1}  # over grid and lines
        movable.append((_label(ax, text, spots[0], fontsize=8, bbox=clear), spots))
    if figure == "total":
        lines = [("pass_mark", summary["pass_mark"], "#2e7d32")]
        ax.set_xlim(-2, 102)
    else:
        anchors = summary["anchors"]
        lines = [
            (k, anchors[k], c) for k, c in (("floor_harm", "#616161"), ("ceiling_harm", "#2e7d32"))
        ]
    for key, x, colour in lines:
        artists.append(ax.axvline(x, color=colour, ls="--", lw=1))
        top = (x, len(bots) - 0.45)
        spots = [(top, (2, 0), "left"), (top, (-2, 0), "right")]  # beside its line
        movable.append(
            (
                _label(
                    ax, tr(f"calibrate.plot.{key}"), spots[0], color=colour, fontsize=8, va="bottom"
                ),
                spots,
            )
        )
    ax.set_yticks(range(len(bots)), [tr(f"calibrate.bot.{b}") for b in bots])
    ax.set_ylim(-0.6, len(bots) - 0.1)
    ax.set_xlabel(tr(f"calibrate.plot.{figure}"))
    ax.grid(axis="x", alpha=0.3)
    if labels is not None:
        labels += movable
    return artists + [label for label, _ in movable]


def _label(ax: Axes, text: str, spot: Spot, **style: Any) -> Any:
    xy, offset, ha = spot
    return ax.annotate(text, xy, xytext=offset, textcoords="offset points", ha=ha, **style)


def keep_inside(labels: Placed) -> None:
    """Move each label to its first spot that lies wholly inside its axes (left and right);
    a label that fits nowhere stays at its first spot."""
    for label, spots in labels:
        frame = label.axes.get_window_extent()
        for xy, offset, ha in spots:
            label.xy = xy
            label.set_position(offset)
            label.set_horizontalalignment(ha)
            box = label.get_window_extent()
            if box.x0 >= frame.x0 and box.x1 <= frame.x1:
                break
        else:
            xy, offset, ha = spots[0]
            label.xy = xy
            label.set_position(offset)
            label.set_horizontalalignment(ha)


def title_of(summary: Mapping[str, Any], tr: Tr) -> str:
    """The scenario's title in the translator's language (its id for an older summary)."""
    title = summary.get("title") or {}
    return title.get("zh" if tr("lang") == "zh-CN" else "en") or summary["scenario_id"]


def calibration_figure(summary: Mapping[str, Any], tr: Tr) -> Figure:
    """The two panels (score, harm), titled with the scenario's title in ``tr``'s language,
    every label kept inside its panel."""
    from matplotlib.figure import Figure

    from analysis.report import use_fonts

    use_fonts()
    fig = Figure(figsize=(11, 1.6 + 0.9 * len(summary["bots"])), dpi=110)
    left, right = fig.subplots(1, 2)
    labels: Placed = []
    spread(left, summary, "total", tr, labels)
    spread(right, summary, "harm", tr, labels)
    seeds = summary["seeds"]
    title = tr(
        "calibrate.plot.title",
        scenario=title_of(summary, tr),
        n=len(seeds),
        first=seeds[0],
        last=seeds[-1],
    )
    fig.suptitle(textwrap.fill(title, TITLE_CHARS), fontsize=11)
    fig.text(0.5, 0.005, tr("calibrate.plot.legend"), ha="center", va="bottom", fontsize=8)
    for _ in range(2):  # labels moved inside let the panels grow; place them again
        fig.tight_layout(rect=(0, 0.05, 1, 1))
        keep_inside(labels)
    return fig


def plot_png(summary: Mapping[str, Any], tr: Tr) -> bytes:
    """:func:`calibration_figure` as PNG bytes."""
    buffer = io.BytesIO()
    calibration_figure(summary, tr).savefig(buffer, format="png")
    return buffer.getvalue()


def write_folder(out: Path, summary: Mapping[str, Any], png: bytes, lang: str) -> list[Path]:
    """``calibration.json`` and ``calibration.<lang>.png`` in ``out``, each written to a
    temporary file first and renamed into place, so a reader never finds half a file."""
    from analysis.pipeline import write_atomic

    out.mkdir(parents=True, exist_ok=True)
    plot = out / f"calibration.{lang}.png"
    temporary = plot.with_name(f".{plot.name}.tmp")
    try:
        temporary.write_bytes(png)
        temporary.replace(plot)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    data = out / "calibration.json"
    write_atomic(data, json.dumps(summary, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return [data, plot]


def summary_lines(summary: Mapping[str, Any], tr: Tr) -> list[str]:
    """What the command prints: one line a bot, and the items each most often failed."""
    lines = [tr("calibrate.header", scenario=title_of(summary, tr), n=len(summary["seeds"]))]
    targets = {**DEFAULTS, **summary.get("targets", {})}  # the drill's own (an old file: none)
    for bot in (b for b in BOTS if b in summary["bots"]):
        b = summary["bots"][bot]
        t, h = b["total"], b["harm"]
        lines.append(
            tr(
                "calibrate.line",
                bot=tr(f"calibrate.bot.{bot}"),
                p5=f"{t['p5']:.1f}",
                p50=f"{t['p50']:.1f}",
                p95=f"{t['p95']:.1f}",
                sd=f"{t['sd']:.1f}",
                passed=f"{100 * b['pass_share']:.0f}",
                h5=f"{h['p5']:.2f}",
                h50=f"{h['p50']:.2f}",
                h95=f"{h['p95']:.2f}",
            )
        )
        for item, share in list(b["failed_items"].items())[:3]:
            lines.append(
                tr(
                    "calibrate.failed",
                    item=item_label(tr, f"item.{item}", targets),
                    share=f"{100 * share:.0f}",
                )
            )
    return lines


def seed_count(text: str) -> int:
    """An argparse type: how many seeds, 1 to :data:`MAX_SEEDS`."""
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_SEEDS:
        raise argparse.ArgumentTypeError(f"{value} is out of range (1 to {MAX_SEEDS})")
    return value


MAX_SEEDS = 100_000


def add_parser(sub: Any) -> None:
    """The ``calibrate`` subcommand's arguments (on ``python -m analysis``'s subparsers)."""
    from sim.cli import seed_arg

    cal = sub.add_parser(
        "calibrate", help="play the bots on many seeds: how hard a drill is, how much luck moves it"
    )
    cal.add_argument("scenario", help="scenario YAML file")
    cal.add_argument("--seeds", type=seed_count, default=200, help="how many seeds (default 200)")
    cal.add_argument("--first-seed", type=seed_arg, default=1, help="the first seed (default 1)")
    cal.add_argument("--bots", default=",".join(BOTS), help="comma-separated bots (default: all)")
    cal.add_argument("--out", help="output folder (default: calibration-<scenario id>)")
    cal.add_argument("--lang", choices=("en", "zh-CN"), default="en")
    cal.add_argument("--scheduler", help="address of a running Dask scheduler (default: local)")
    cal.add_argument(
        "--workers", type=seed_count, help="local worker processes (default: the machine's cores)"
    )


def command(args: argparse.Namespace) -> int:
    """``python -m analysis calibrate``: play, summarise, write the folder, print the summary.
    Raises ``sim.ScenarioError``, ``LookupError`` (an unknown bot) or ``UsageError``."""
    from analysis.i18n import translator
    from sim.cli import SEED_LIMIT, UsageError, check_input_file, check_output_folder

    tr = translator(args.lang)
    check_input_file(args.scenario, "scenario file")
    bots = [b.strip() for b in args.bots.split(",")]
    unknown = [b for b in bots if b not in BOTS]
    if unknown or len(set(bots)) != len(bots):
        raise LookupError(f"--bots {args.bots!r}: choose each of {', '.join(BOTS)} at most once")
    if args.first_seed + args.seeds > SEED_LIMIT:
        raise UsageError(f"--first-seed {args.first_seed}: the last seed would be out of range")
    loaded = sim.load_scenario(args.scenario)
    out = Path(args.out or f"calibration-{loaded.scenario.meta.id}")
    check_output_folder(out)
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    started = time.perf_counter()
    with dask_client(args.scheduler, args.workers) as client:
        try:
            _, drills = run_calibration(loaded, seeds, client, bots, tr("calibrate.progress"))
        except BatchFailed as failed:
            bot, seed = failed.key
            raise RuntimeError(
                tr("calibrate.failed_drill", bot=bot, seed=seed, error=repr(failed.cause))
            ) from failed
    summary = summarise(loaded, drills)
    files = write_folder(out, summary, plot_png(summary, tr), args.lang)
    print("\n".join(summary_lines(summary, tr)))
    print(
        tr(
            "calibrate.written",
            files=", ".join(str(f) for f in files),
            seconds=f"{time.perf_counter() - started:.0f}",
        )
    )
    return 0
