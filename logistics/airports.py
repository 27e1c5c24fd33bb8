"""The shipped airport list (``logistics/data/airports.csv``): IATA code, name, city, country and IANA time zone.

A curated list of about 250 airports with scheduled service, weighted to Africa, the Middle East and Europe (the
conference's delegations) plus the main hubs elsewhere; the zones are IANA names checked against the system's
tz database by ``tests/logistics/test_airports.py``. A code not in the list is refused: add a row to the file.

``local_to_utc`` turns a local wall time at an airport into UTC and refuses a time that does not exist (the hour
skipped when clocks go forward) or is ambiguous (the hour repeated when they go back).
"""

from __future__ import annotations

import csv
import datetime
import functools
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data" / "airports.csv"


@dataclass(frozen=True)
class Airport:
    iata: str
    name: str
    city: str
    country: str
    tz: str

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.tz)

    def __str__(self) -> str:
        return f"{self.iata} — {self.city}"


@functools.cache
def airports() -> dict[str, Airport]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {row["iata"]: Airport(**row) for row in csv.DictReader(handle)}


def airport(code: str) -> Airport | None:
    """The airport with IATA ``code`` (any case, spaces ignored), or None when it is not in the list."""
    return airports().get((code or "").strip().upper())


class LocalTimeError(ValueError):
    """A wall time that does not exist or is ambiguous in a zone."""


def local_to_utc(value: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """``value`` (naive, the wall clock in ``zone``) as an aware UTC datetime; LocalTimeError when it does not
    exist or occurs twice in that zone."""
    value = value.replace(tzinfo=None, second=0, microsecond=0)
    early, late = value.replace(tzinfo=zone, fold=0), value.replace(tzinfo=zone, fold=1)
    if early.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise LocalTimeError(_("%(time)s does not exist in %(zone)s (the clocks go forward).") % {
            "time": value.strftime("%Y-%m-%d %H:%M"), "zone": zone.key})
    if early.utcoffset() != late.utcoffset():
        raise LocalTimeError(_("%(time)s happens twice in %(zone)s (the clocks go back): give another time.") % {
            "time": value.strftime("%Y-%m-%d %H:%M"), "zone": zone.key})
    return early.astimezone(datetime.UTC)
