"""UI tests run headless: SDL's dummy drivers, logs in a temporary data folder."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

from pathlib import Path

import pytest

pygame = pytest.importorskip("pygame")
pytest.importorskip("pygame_gui")

from ui.app import App  # noqa: E402
from ui.scenes.drill import DrillScene  # noqa: E402

MINI = Path(__file__).resolve().parents[1] / "data" / "mini.yaml"
SIZES = ((1280, 720), (1024, 600))  # the window sizes the game supports
CASES = [(lang, size) for lang in ("en", "zh-CN") for size in SIZES]  # for ``screen``
IDS = [f"{lang}-{size[0]}" for lang, size in CASES]


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Drill logs go to a temporary XDG data folder, never the user's."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def screen(request):
    """The game in one language and window size (parametrize indirectly with ``CASES``)."""
    language, size = request.param
    application = App(language=language, size=size)
    yield application
    pygame.quit()


@pytest.fixture
def app():
    application = App(language="en")
    yield application
    pygame.quit()


@pytest.fixture
def drill_scene(app, mini) -> DrillScene:
    scene = DrillScene(app, mini, seed=3)
    app.switch(scene)
    return scene


def click(app: App, pos: tuple[int, int]) -> None:
    """A left click at ``pos``, through the app's event routing (pygame_gui first)."""
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        app.dispatch(pygame.event.Event(kind, pos=pos, button=1))


def key(app: App, key_code: int) -> None:
    app.dispatch(pygame.event.Event(pygame.KEYDOWN, key=key_code, mod=0, unicode=""))
