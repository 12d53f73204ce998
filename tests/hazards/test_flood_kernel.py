"""The compiled flood kernel against the numpy reference, on every flood test case.

Each case of ``test_flood`` is run again with a twin model in place of
``FloodModel``: every call goes to a numpy model and to a compiled one, and
after every step their depths, speeds and volume books must agree to 1e-9
(m, m/s, m^3 relative to the volume moved) and they must take the same
substeps. The physics assertions of each case then run on the numpy twin.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import pytest

import tests.hazards.test_flood as cases
from sim.hazards import flood
from sim.hazards.flood import FloodModel

AGREEMENT = 1e-9


class Twin:
    """A numpy FloodModel and a compiled one stepped together and compared."""

    made: list[Twin] = []  # noqa: RUF012 (the twins one case built)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("kernel", None)
        self._ref = FloodModel(*args, kernel="numpy", **kwargs)
        self._fast = FloodModel(*args, kernel="compiled", **kwargs)
        self._seen = self._ref.depth_m.copy()
        self.steps = 0
        Twin.made.append(self)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ref, name)

    def _both(self, name: str, *args: Any, **kwargs: Any) -> None:
        getattr(self._ref, name)(*args, **kwargs)
        getattr(self._fast, name)(*args, **kwargs)

    def set_inflow(self, *args: Any, **kwargs: Any) -> None:
        self._both("set_inflow", *args, **kwargs)

    def raise_bed(self, *args: Any, **kwargs: Any) -> None:
        self._both("raise_bed", *args, **kwargs)

    def set_bed(self, *args: Any, **kwargs: Any) -> None:
        self._both("set_bed", *args, **kwargs)

    def use_shock_capturing(self, *args: Any, **kwargs: Any) -> None:
        self._both("use_shock_capturing", *args, **kwargs)

    def run_one_step(self, *args: Any, **kwargs: Any) -> None:
        written = self._ref.depth_m != self._seen  # a case may set depths directly
        self._fast.depth_m[written] = self._ref.depth_m[written]
        self._both("run_one_step", *args, **kwargs)
        ref, fast = self._ref, self._fast
        assert fast.substeps_taken == ref.substeps_taken
        np.testing.assert_allclose(fast.depth_m, ref.depth_m, rtol=0.0, atol=AGREEMENT)
        np.testing.assert_allclose(
            fast.speed_m_per_s, ref.speed_m_per_s, rtol=0.0, atol=AGREEMENT
        )
        moved = max(1.0, ref.volume_m3(), ref.inflow_total_m3 + ref.rain_total_m3)
        for book in ("inflow_total_m3", "rain_total_m3", "outflow_total_m3"):
            assert abs(getattr(fast, book) - getattr(ref, book)) <= AGREEMENT * moved
        self._seen = ref.depth_m.copy()
        self.steps += 1


def flood_cases() -> list[Any]:
    """(name, kwargs) of every case in test_flood that steps a flood model."""
    found = []
    for name, test in inspect.getmembers(cases, inspect.isfunction):
        if not name.startswith("test_") or "FloodModel" not in _source_with_helpers(test):
            continue
        if name == "test_inputs_are_validated":  # checks arguments, steps nothing
            continue
        marks = [m for m in getattr(test, "pytestmark", []) if m.name == "parametrize"]
        if not marks:
            found.append(pytest.param(name, {}, id=name))
            continue
        names, values = marks[0].args[0], marks[0].args[1]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        for value in values:
            value = value if len(names) > 1 else (value,)
            found.append(pytest.param(name, dict(zip(names, value, strict=True)),
                                      id=f"{name}{list(value)}"))  # fmt: skip
    return found


def _source_with_helpers(test: Any) -> str:
    source = inspect.getsource(test)
    helpers = ("channel(", "river_valley(", "ritter_channel(")
    return source + ("FloodModel" if any(h in source for h in helpers) else "")


@pytest.mark.parametrize(("name", "kwargs"), flood_cases())
def test_compiled_kernel_agrees_with_numpy_reference(name, kwargs, monkeypatch):
    Twin.made = []
    monkeypatch.setattr(cases, "FloodModel", Twin)
    getattr(cases, name)(**kwargs)
    assert any(t.steps for t in Twin.made), "the case ran no flood step"


def test_compiled_kernel_skips_dry_country_and_still_agrees():
    # A lone pond in a big dry map: the compiled kernel steps a small box around
    # it; the wave spreading out of it must still match the numpy reference.
    bed = np.zeros((120, 160))
    depth = np.zeros_like(bed)
    depth[60:64, 80:84] = 2.0
    twin = Twin(bed, 10.0, 0.03, initial_depth_m=depth)
    for _ in range(20):
        twin.run_one_step(10.0)
    box = twin._fast._compiled.box
    assert box[1] - box[0] < 60 and box[3] - box[2] < 60  # far from the whole map
    assert (twin.depth_m > 0.0).sum() > 16  # the water spread


def test_briefing_warm_up_readies_the_compiled_kernel_off_the_main_thread():
    from sim.hazards import flood_kernel
    from ui.warmup import warm_flood_kernel

    thread = warm_flood_kernel()
    assert thread is warm_flood_kernel()  # once per process
    thread.join(timeout=300)
    assert not thread.is_alive()
    assert flood_kernel.run_substeps.signatures  # what a drill's flood step calls


class Banded(Twin):
    """A compiled FloodModel on one thread and one on bands of rows, compared to the bit."""

    BANDS = 3  # more bands than this machine may have threads: a band then waits its turn

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("kernel", None)
        self._ref = FloodModel(*args, kernel="compiled", **kwargs)
        self._fast = FloodModel(*args, kernel="compiled", **kwargs)
        self._seen = self._ref.depth_m.copy()
        self.steps = 0
        Twin.made.append(self)

    def _both(self, name: str, *args: Any, **kwargs: Any) -> None:
        getattr(self._ref, name)(*args, **kwargs)
        flood._THREADS[0] = self.BANDS
        try:
            getattr(self._fast, name)(*args, **kwargs)
        finally:
            flood._THREADS[0] = 1

    def run_one_step(self, *args: Any, **kwargs: Any) -> None:
        written = self._ref.depth_m != self._seen
        self._fast.depth_m[written] = self._ref.depth_m[written]
        self._both("run_one_step", *args, **kwargs)
        ref, fast = self._ref, self._fast
        assert fast.substeps_taken == ref.substeps_taken
        np.testing.assert_array_equal(fast.depth_m, ref.depth_m)
        np.testing.assert_array_equal(fast.speed_m_per_s, ref.speed_m_per_s)
        assert fast.outflow_total_m3 == ref.outflow_total_m3
        self._seen = ref.depth_m.copy()
        self.steps += 1


@pytest.mark.parametrize(("name", "kwargs"), flood_cases())
def test_threaded_kernel_gives_the_same_flood_to_the_bit(name, kwargs, monkeypatch):
    # A drill run on two threads (python -m sim run) must replay exactly on one.
    Twin.made = []
    monkeypatch.setattr(cases, "FloodModel", Banded)
    getattr(cases, name)(**kwargs)
    assert any(t.steps for t in Twin.made), "the case ran no flood step"


def widen_zone_mid_run(pair: type[Twin]) -> None:
    """A zone run for 10 s, then widened over the cells that were its neighbours, 10 s more.

    ``pair`` steps two models together and compares them after every step.
    """
    ny, nx, dx = 32, 32, 5.0
    rows, cols = np.mgrid[0:ny, 0:nx]
    bed = 0.2 * dx * (ny - rows) + 0.05 * dx * cols
    depth = np.zeros((ny, nx))
    depth[:10, :10] = 4.0  # the reservoir
    twin = pair(bed, dx, 0.02, initial_depth_m=depth)
    twin.use_shock_capturing((rows < 12) & (cols < 12))
    for _ in range(20):
        twin.run_one_step(0.5)
    ring = (((rows == 12) & (cols < 12)) | ((cols == 12) & (rows < 12))) & (rows >= 2) & (cols >= 2)
    assert (twin.depth_m[ring] > 0.01).any()  # water flows beside the zone
    twin.use_shock_capturing((rows < 20) & (cols < 20))
    assert twin.shock_capturing_mask[ring].all()
    for _ in range(20):
        twin.run_one_step(0.5)


def test_a_zone_widened_after_it_has_run_still_agrees_with_numpy_reference():
    # A second breach beside the first widens the finite-volume zone mid-drill: cells
    # that were the zone's neighbours join it. Their momentum must start from their
    # own faces' flow, as in the numpy reference, with nothing kept from the substeps
    # they spent beside the zone (the compiled pass once summed fluxes into them and
    # never cleared the sums).
    widen_zone_mid_run(Twin)


def test_a_zone_widened_after_it_has_run_is_the_same_to_the_bit_on_threads():
    widen_zone_mid_run(Banded)


def test_an_edit_to_the_finite_volume_kernel_drops_the_flood_loops_cached_code(tmp_path):
    # run_substeps compiles flood_fv_kernel's functions into itself, and numba's cache
    # only checks flood_kernel.py: after an update to the zone's code the cached loop
    # must go, or a drill would run the old zone.
    from sim.hazards import flood_kernel

    cached = tmp_path / "flood_kernel.run_substeps-1.py311.nbi"
    cached.write_text("old machine code")
    (tmp_path / "flood_kernel.depends").write_text("digest of an older flood_fv_kernel.py")
    other = tmp_path / "flood_fv_kernel.flux_pass-1.py311.nbi"
    other.write_text("the zone's own cache: numba checks it itself")
    assert flood_kernel.drop_stale_cache(tmp_path)
    assert not cached.exists() and other.exists()
    cached.write_text("machine code built from the current zone")
    assert not flood_kernel.drop_stale_cache(tmp_path)  # unchanged since: kept
    assert cached.exists()
    assert not list(tmp_path.glob("*.tmp"))  # no partial stamp left behind
