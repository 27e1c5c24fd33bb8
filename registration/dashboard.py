"""The organizers' dashboard's extension point: another app adds a chart of its own data, by day, from its own
code (logistics: arrivals by day), without registration importing it. Each chart is drawn beside its table."""

from __future__ import annotations

from collections.abc import Callable

from conference.models import Conference

#: Each provider answers one chart for a conference: ``{"key", "title", "caption", "label", "days", "counts"}``
#: (``days`` ISO dates in the conference's zone, ``counts`` the numbers per day), or None to show nothing.
ChartProvider = Callable[[Conference], "dict | None"]
_providers: list[ChartProvider] = []


def add_dashboard_chart(provider: ChartProvider) -> ChartProvider:
    """Register ``provider`` (usable as a decorator); registering it again changes nothing."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def dashboard_extra_charts(conference: Conference) -> list[dict]:
    """The charts the other apps add, in the order they registered."""
    charts = [chart for chart in (provider(conference) for provider in _providers) if chart is not None]
    for chart in charts:  # the table's rows
        chart["rows"] = list(zip(chart["days"], chart["counts"], strict=True))
    return charts
