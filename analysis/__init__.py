"""After-action review for DrillCommand: scores, plots, reports and drill records.

Reads drill logs (and the engine's scenario loader); never imports pygame.
Matplotlib is needed only for plots and reports (the ``analysis`` extra).
"""

from analysis.baselines import figures_for
from analysis.drilldata import DrillData, drill_from_events, load_drill
from analysis.kpis import Kpi, all_kpis
from analysis.naive_bot import NaiveBot
from analysis.records import Records
from analysis.rubric import Judgement, judge_all
from analysis.scoring import score_drill

__all__ = [
    "DrillData",
    "Judgement",
    "Kpi",
    "NaiveBot",
    "Records",
    "all_kpis",
    "drill_from_events",
    "figures_for",
    "judge_all",
    "load_drill",
    "score_drill",
]
