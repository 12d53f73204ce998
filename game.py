"""Play DrillCommand (应急演练指挥).

``python game.py [scenario.yaml] [--lang zh-CN] [--trainee NAME] [--replay LOG]``
``python game.py --instructor [scenario.yaml | --join ADDRESS --token T]``
``python game.py --join ADDRESS --token T`` (a trainee at a served drill: ``python -m sim serve``)
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="DrillCommand: the emergency command game")
    parser.add_argument("scenario", nargs="?", type=Path, help="a scenario YAML to offer first")
    parser.add_argument("--lang", default="en", choices=["en", "zh-CN"], help="start language")
    parser.add_argument(
        "--trainee", default="anonymous", help="name the debrief records the drill under"
    )
    parser.add_argument(
        "--replay", type=Path, help="watch a drill log; take command from any moment"
    )
    parser.add_argument(
        "--instructor", action="store_true", help="the instructor's console (serves the scenario)"
    )
    parser.add_argument("--join", metavar="ADDRESS", help="join a served drill (host:port)")
    parser.add_argument("--token", default="", help="the join token the server printed")
    args = parser.parse_args(argv)
    if args.replay:
        return _replay(args)
    if args.instructor or args.join:
        from ui.remote_session import run_seat  # seats at a served drill (sim/serve.py)

        return run_seat(args)
    from ui.app import App
    from ui.scenes.title import TitleScene

    app = App(language=args.lang, cli_scenario=args.scenario, trainee=args.trainee, warm_up=True)
    first = None
    if args.scenario:
        # A scenario named on the command line opens straight on its briefing. The engine
        # (numpy, networkx, pydantic: most of the time before the first frame) is imported
        # only here; the title draws without it and loads it once it is on screen.
        from sim import ScenarioError, load_scenario
        from ui.scenes.briefing import BriefingScene

        try:
            first = BriefingScene(app, load_scenario(args.scenario))
        except ScenarioError:
            first = None  # the picker lists the file with its validation message
    app.switch(first or TitleScene(app))
    from ui.resume_offer import stop_drill_in_play, stop_on_signals

    with stop_on_signals(app) as caught:  # SIGTERM, Ctrl-C: the drill ends with DrillAborted
        try:
            app.run()
        except KeyboardInterrupt:  # a second Ctrl-C
            caught.append(signal.SIGINT)
    return stop_drill_in_play(app, caught[0]) if caught else 0


def _replay(args: argparse.Namespace) -> int:
    """The replay viewer on a drill log; a bad log is one line naming it, exit status 2."""
    from sim import LogError
    from sim.branch import open_parent
    from sim.cli import UsageError, check_log

    try:
        check_log(args.replay)
        parent = open_parent(args.replay)
    except (LogError, UsageError) as exc:
        print(exc, file=sys.stderr)
        return 2
    from ui.app import App
    from ui.scenes.replay import ReplayScene

    app = App(language=args.lang, trainee=args.trainee, warm_up=True)
    app.switch(ReplayScene(app, parent))
    app.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
