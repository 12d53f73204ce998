"""Where the front end finds its files and keeps the trainee's drill logs.

Every path is resolved from this package (or the user's data folder), never
from the working directory, so the game runs the same from anywhere.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
ASSETS_DIR = REPO_DIR / "assets"
FONTS_DIR = ASSETS_DIR / "fonts"
FONT_REGULAR = FONTS_DIR / "NotoSansSC-DrillCommand-Regular.otf"
FONT_BOLD = FONTS_DIR / "NotoSansSC-DrillCommand-Bold.otf"
THEME_FILE = ASSETS_DIR / "theme.json"
LOCALES_DIR = PACKAGE_DIR / "locales"
SCENARIOS_DIR = REPO_DIR / "scenarios"


def data_dir() -> Path:
    """The user's data folder for DrillCommand (``$XDG_DATA_HOME`` or ~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "drillcommand"


def new_log_path(scenario_id: str, seed: int) -> Path:
    """A fresh drill-log path in the user's log folder (the folder is created)."""
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"{scenario_id}-seed{seed}-{stamp}.jsonl"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"{scenario_id}-seed{seed}-{stamp}-{number}.jsonl"
    return path
