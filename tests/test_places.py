"""Where a point is, in the words the screen and the report name an incident by
(sim.world.geometry's point questions, sim.world.places)."""

from __future__ import annotations

import math

import pytest
import yaml

from sim.world.geometry import point_in_polygon, point_to_polyline_m
from sim.world.places import Place, Placed, Places, injected_without_zone
from tests.conftest import MINI, mini_with

# An L-shaped (concave) zone: its notch is outside it.
ELL = [(0.0, 0.0), (100.0, 0.0), (100.0, 40.0), (40.0, 40.0), (40.0, 100.0), (0.0, 100.0)]


def test_a_point_is_inside_a_concave_zone_but_not_in_its_notch():
    assert point_in_polygon((20.0, 80.0), ELL)
    assert point_in_polygon((80.0, 20.0), ELL)
    assert not point_in_polygon((80.0, 80.0), ELL)  # the notch
    assert not point_in_polygon((150.0, 20.0), ELL)


def test_distance_to_a_road_is_to_its_nearest_stretch_or_end():
    road = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0)]
    assert point_to_polyline_m((50.0, 30.0), road) == pytest.approx(30.0)  # square to a stretch
    assert point_to_polyline_m((130.0, 50.0), road) == pytest.approx(30.0)  # to the second
    assert point_to_polyline_m((-30.0, -40.0), road) == pytest.approx(50.0)  # past its end
    assert point_to_polyline_m((3.0, 4.0), [(0.0, 0.0), (0.0, 0.0)]) == pytest.approx(5.0)
    assert point_to_polyline_m((3.0, 4.0), [(0.0, 0.0)]) == math.inf  # not a line


@pytest.fixture(scope="module")
def places() -> Places:
    """The mini map (cells of 50 m) with its main road named."""
    roads = yaml.safe_load(MINI.read_text(encoding="utf-8"))["roads"]
    roads[0]["name"] = {"en": "Riverside Road", "zh": "滨河路"}
    return Places(mini_with(roads=roads).scenario)


def test_a_point_in_a_zone_is_at_that_zone_even_beside_a_named_road(places):
    assert places.where((1600.0, 820.0)) == Place("zone", "east", True)  # road 120 m north
    assert places.where((1600.0, 820.0)).relation == "at"


def test_within_two_cells_of_a_road_is_on_it_and_farther_is_near_it(places):
    on = places.where((1600.0, 700.0 - 100.0))  # exactly two cells north of the road
    assert (on, on.relation) == (Place("road", "main", True), "on")
    near = places.where((1700.0, 560.0))  # 140 m north: the road is still the nearest thing
    assert (near, near.relation) == (Place("road", "main", False), "near")


def test_close_to_a_facility_is_at_it(places):
    place = places.where((1120.0, 640.0))  # police 22 m away, the road 60 m
    assert (place, place.relation) == (Place("facility", "police", True), "at")


def test_an_unnamed_road_names_nothing_and_a_zone_edge_is_only_ever_near(places):
    # The bridge road (unnamed) runs 20 m away; East Village's edge 280 m, the named road 300 m.
    place = places.where((1020.0, 1000.0))
    assert (place, place.relation) == (Place("zone", "east", False), "near")
    edge = places.where((1950.0, 1000.0))  # 50 m east of East Village's edge
    assert (edge, edge.relation) == (Place("zone", "east", False), "near")


def test_the_injects_that_place_an_incident_without_a_zone_are_listed_with_their_point():
    injects = [
        {
            "id": "two",
            "at_min": 5,
            "actions": [
                {"type": "incident", "id": "a", "incident": "casualties", "at": [1.23456, 2]},
                {"type": "incident", "id": "b", "incident": "leak", "at": [5, 5], "zone": "west"},
                {"type": "message", "text": {"en": "x", "zh": "x"}},
            ],
        }
    ]
    assert injected_without_zone(mini_with(injects=injects).scenario) == {"a": (1.235, 2.0)}


def test_an_incident_outside_its_zone_is_placed_where_it_is_and_keeps_whose_people_they_are(
    places,
):
    # East Village spans x 1300-1900, y 800-1300; the named road runs along y = 700.
    assert places.placed((1600.0, 1000.0), "east", "casualties") is None  # inside: its zone
    assert places.placed((1600.0, 1350.0), "east", "casualties") is None  # 50 m out: its edge
    assert places.placed((1600.0, 600.0), "east", "casualties") == Placed(
        Place("road", "main", True), "east"
    )
    assert places.placed((1600.0, 1000.0), "west", "trapped") == Placed(
        Place("zone", "east", True),
        "west",  # West's evacuees, in East Village
    )
    # A leak holds nobody; people beside their own village's edge are simply near it.
    assert places.placed((1600.0, 600.0), "east", "leak") == Placed(Place("road", "main", True), "")
    assert places.placed((1600.0, 1450.0), "east", "trapped") == Placed(
        Place("zone", "east", False), ""
    )
    assert places.placed((1600.0, 600.0), "nowhere", "casualties") is None  # unknown zone
    # An inject's zone-less incident: where it is, even inside a zone, never after whose.
    assert places.placed((1600.0, 1000.0), "", "", injected_without_zone=True) == Placed(
        Place("zone", "east", True), ""
    )
