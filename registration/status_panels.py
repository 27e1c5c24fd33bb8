"""Panels that other apps add to the participant's status page ("My registration"), an extension point.

Registration does not know what the apps above it hold about a participant; an app adds a panel with
``add_status_panel`` in its ``AppConfig.ready()``: a template and a function that returns its context for the
page's own participant, or ``None`` when the panel has nothing to show. ``onsite`` adds the certificate of
attendance (its download and verification links).

This module holds only the registry: it imports no form, view or service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class StatusPanel:
    #: A stable name: adding a panel again with the same key replaces it.
    key: str
    #: Included at the foot of the status page with ``panel`` (the context) in its context.
    template: str
    #: ``context(participant) -> dict | None``: the panel's context for the user's own participant; None hides it.
    context: Callable
    order: int = 50


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: dict


_PANELS: dict[str, StatusPanel] = {}


def add_status_panel(panel: StatusPanel) -> StatusPanel:
    _PANELS[panel.key] = panel
    return panel


def status_panels(participant) -> list[ShownPanel]:
    """The panels with something to show for ``participant``, in their order."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(participant)
        if context is not None:
            shown.append(ShownPanel(template=panel.template, context=context))
    return shown
