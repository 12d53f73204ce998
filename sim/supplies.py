"""Relief supplies: stocks at facilities, moved by trucks, consumed in shelters.

Supplies are conserved: every amount is at a facility, on a truck, or in
``consumed``. Nothing is made out of nothing; ``check`` proves it.
"""

from __future__ import annotations

from sim.scenario.schema import SupplyItem

# Consumption per sheltered person per minute.
# Water: 15 L per person per day (Sphere Handbook 2018, Water supply standard 2.1).
# Food: one ration of 2,100 kcal per person per day (Sphere 2018, Food security 6.1).
NEED_PER_PERSON_PER_MIN: dict[SupplyItem, float] = {
    SupplyItem.WATER_L: 15.0 / 1440.0,
    SupplyItem.FOOD_RATIONS: 1.0 / 1440.0,
}
# Items of which each sheltered person needs one, once (a blanket each).
ONE_EACH: tuple[SupplyItem, ...] = (SupplyItem.BLANKETS,)

# One truck-load, in item units: an 8 t light truck (GB 1589-2016 class)
# carries 8,000 L of bottled water, 10,000 rations (~0.8 kg each), 2,000
# blankets or 100 family tents by volume, 1,000 medical kits, 400 filled
# sandbags (20 kg each).
TRUCK_LOAD: dict[SupplyItem, float] = {
    SupplyItem.WATER_L: 8000.0,
    SupplyItem.FOOD_RATIONS: 10000.0,
    SupplyItem.BLANKETS: 2000.0,
    SupplyItem.TENTS: 100.0,
    SupplyItem.MEDICAL_KITS: 1000.0,
    SupplyItem.SANDBAGS: 400.0,
}


class Stocks:
    """Amounts of each item at each facility, plus what was consumed."""

    def __init__(self, initial: dict[str, dict[SupplyItem, float]]) -> None:
        self.at: dict[str, dict[SupplyItem, float]] = {
            place: {item: float(initial.get(place, {}).get(item, 0.0)) for item in SupplyItem}
            for place in initial
        }
        self.consumed: dict[SupplyItem, float] = dict.fromkeys(SupplyItem, 0.0)
        self.lost: dict[SupplyItem, float] = dict.fromkeys(SupplyItem, 0.0)
        self.initial_total = self.totals(in_transit={})

    def place(self, facility: str) -> dict[SupplyItem, float]:
        return self.at.setdefault(facility, dict.fromkeys(SupplyItem, 0.0))

    def take(self, facility: str, item: SupplyItem, amount: float) -> float:
        """Remove up to ``amount`` from ``facility``; return what was taken."""
        stock = self.place(facility)
        taken = min(amount, stock[item])
        stock[item] -= taken
        return taken

    def put(self, facility: str, item: SupplyItem, amount: float) -> None:
        self.place(facility)[item] += amount

    def consume(self, facility: str, item: SupplyItem, amount: float) -> float:
        taken = self.take(facility, item, amount)
        self.consumed[item] += taken
        return taken

    def lose(self, facility: str) -> None:
        """Everything at ``facility`` is destroyed (flooded depot)."""
        for item, amount in self.place(facility).items():
            self.lost[item] += amount
            self.place(facility)[item] = 0.0

    def totals(self, in_transit: dict[SupplyItem, float]) -> dict[SupplyItem, float]:
        """Everything that exists or existed: stocks + cargo + consumed + lost."""
        total = {item: in_transit.get(item, 0.0) for item in SupplyItem}
        for stock in self.at.values():
            for item, amount in stock.items():
                total[item] += amount
        if hasattr(self, "consumed"):
            for item in SupplyItem:
                total[item] += self.consumed[item] + self.lost[item]
        return total

    def check(self, in_transit: dict[SupplyItem, float]) -> None:
        """Raise AssertionError if supplies were made or lost without account."""
        now = self.totals(in_transit)
        for item in SupplyItem:
            before = self.initial_total[item]
            assert abs(now[item] - before) <= 1e-6 * max(1.0, before), f"{item} not conserved"
            assert all(stock[item] >= -1e-9 for stock in self.at.values()), f"negative {item}"
