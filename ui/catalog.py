"""The scenario catalogue: every YAML in scenarios/ (and one from the command line).

Invalid files are kept in the list with their validation messages, so the
picker can show an instructor what is wrong instead of crashing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim import LoadedScenario, ScenarioError, ScenarioIssue, load_scenario
from ui.paths import SCENARIOS_DIR


@dataclass(frozen=True)
class Entry:
    """One scenario file: loaded, or the messages saying why it is not valid."""

    path: Path
    loaded: LoadedScenario | None
    problems: tuple[str, ...] = ()
    issues: tuple[ScenarioIssue, ...] = ()  # the problems, to be said in the player's language

    @property
    def valid(self) -> bool:
        return self.loaded is not None

    @property
    def hazards(self) -> tuple[str, ...]:
        if self.loaded is None:
            return ()
        return tuple(sorted({h.kind for h in self.loaded.scenario.hazards}))


def load_entry(path: Path) -> Entry:
    try:
        return Entry(path, load_scenario(path))
    except ScenarioError as error:
        problems = tuple(str(issue) for issue in error.issues) or (str(error),)
        return Entry(path, None, problems, tuple(error.issues))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return Entry(path, None, (f"{path.name}: {error}",))


def discover(folder: Path = SCENARIOS_DIR, extra: Path | None = None) -> list[Entry]:
    """Entries for ``extra`` (first) and every *.yaml/*.yml in ``folder``, by file name."""
    paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []
    if extra is not None:
        extra = extra.resolve()
        paths = [extra, *(p for p in paths if p.resolve() != extra)]
    return [load_entry(path) for path in paths]
