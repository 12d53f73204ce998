"""Weather over the drill: the scenario's schedule, plus wind shifts from injects.

Weather is a step function of time: each scheduled point holds until the
next. A wind shift (from an inject or the instructor) overrides the wind
until the next scheduled point that comes after it.
"""

from __future__ import annotations

import datetime
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import simpy

from sim import events as ev
from sim.hazards.dispersion import solar_altitude_deg, stability_class, turner_stability_class
from sim.scenario.schema import Scenario

if TYPE_CHECKING:
    from sim.engine import Drill


@dataclass(frozen=True)
class Weather:
    """The weather now. Wind direction is where it blows from, clockwise from north."""

    wind_speed_m_per_s: float
    wind_from_deg: float
    rain_mm_per_h: float
    cloud_cover_oktas: float
    is_day: bool


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


class WeatherState:
    """The weather schedule and any override."""

    def __init__(self, scenario: Scenario) -> None:
        self.points = list(scenario.weather)
        meta = scenario.meta
        self.start_clock_min = _minutes(meta.start_time)
        self.sunrise_min = _minutes(meta.sunrise)
        self.sunset_min = _minutes(meta.sunset)
        self.date, self.latitude_deg = meta.date, meta.latitude_deg
        # Solar time runs 4 min behind the clock per degree west of the time zone's
        # meridian (15° per hour of UTC offset); without a longitude, the meridian's.
        zone_meridian = 15.0 * meta.utc_offset_h
        self.solar_lag_min = 4.0 * ((meta.longitude_deg or zone_meridian) - zone_meridian)
        self.index = 0
        self.wind_override: tuple[float, float] | None = None

    def time_of_day_min(self, now_min: float) -> float:
        """Minutes after midnight on the drill's clock."""
        return (self.start_clock_min + now_min) % 1440.0

    def current(self, now_min: float) -> Weather:
        point = self.points[self.index]
        speed, direction = self.wind_override or (point.wind_speed_m_per_s, point.wind_from_deg)
        clock = self.time_of_day_min(now_min)
        return Weather(
            wind_speed_m_per_s=speed,
            wind_from_deg=direction,
            rain_mm_per_h=point.rain_mm_per_h,
            cloud_cover_oktas=point.cloud_cover_oktas,
            is_day=self.sunrise_min <= clock < self.sunset_min,
        )

    def rain_mm_per_h(self, now_min: float) -> float:
        """``current(now_min).rain_mm_per_h``, without making the whole Weather (the flood
        asks every quarter-minute step)."""
        del now_min  # (the schedule's point in force is kept in ``index``)
        return self.points[self.index].rain_mm_per_h

    def sun_altitude_deg(self, now_min: float) -> float | None:
        """The sun's altitude (deg) at minute ``now_min``; None without a date and latitude."""
        if self.date is None or self.latitude_deg is None:
            return None
        clock = self.start_clock_min + now_min
        day = self.date + datetime.timedelta(days=clock // 1440)
        solar_h = ((clock + self.solar_lag_min) % 1440.0) / 60.0
        return solar_altitude_deg(self.latitude_deg, day.timetuple().tm_yday, solar_h)

    def stability_class(self, now_min: float) -> str:
        """The Pasquill stability class of the air now (:mod:`sim.hazards.dispersion`).

        With the scenario's date and latitude, Turner's (1964) scheme from the sun's
        altitude, with his night from an hour before sunset to an hour after sunrise
        (US EPA 2000, EPA-454/R-99-005 §6.4.1); otherwise Pasquill's table with the
        strength of the sun guessed from the cloud cover, by the scenario's sunrise
        and sunset.
        """
        weather = self.current(now_min)
        altitude = self.sun_altitude_deg(now_min)
        if altitude is None:
            return stability_class(
                weather.wind_speed_m_per_s, weather.is_day, weather.cloud_cover_oktas
            )
        before, after = self.sun_altitude_deg(now_min - 60.0), self.sun_altitude_deg(now_min + 60.0)
        is_day = bool(before is not None and after is not None and before > 0.0 and after > 0.0)
        return turner_stability_class(
            weather.wind_speed_m_per_s, is_day, weather.cloud_cover_oktas, altitude
        )

    def forecast_winds(
        self, now_min: float, horizon_min: float
    ) -> list[tuple[float, float, float]]:
        """(minute, wind speed, wind from) of the scheduled changes in the next ``horizon_min``.

        The scenario's schedule is the weather service's forecast: the commander
        is told of it; an instructor's wind shift is not forecast.
        """
        return [
            (p.at_min, p.wind_speed_m_per_s, p.wind_from_deg)
            for p in self.points[self.index + 1 :]
            if now_min < p.at_min <= now_min + horizon_min
        ]


def weather_clock(env: simpy.Environment, drill: Drill) -> Generator[simpy.Event, Any, Any]:
    """Move to each scheduled weather point at its time."""
    state = drill.weather
    for index, point in enumerate(state.points[1:], start=1):
        yield env.timeout(point.at_min - env.now)
        state.index = index
        state.wind_override = None
        drill.emit(ev.WEATHER_CHANGED, **_describe(state.current(env.now)))


def shift_wind(drill: Drill, speed_m_per_s: float, from_deg: float, source: str) -> None:
    drill.weather.wind_override = (speed_m_per_s, from_deg)
    drill.emit(ev.WEATHER_CHANGED, source=source, **_describe(drill.weather.current(drill.now)))


def _describe(weather: Weather) -> dict[str, Any]:
    return {
        "wind_speed_m_per_s": weather.wind_speed_m_per_s,
        "wind_from_deg": weather.wind_from_deg,
        "rain_mm_per_h": weather.rain_mm_per_h,
    }
