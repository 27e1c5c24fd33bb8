"""The steps of the self-registration form: registration's own and those other apps add (an extension point).

Registration defines personal details, photo, needs and consents (``registration/forms.py``); logistics adds
travel and hotel, and visa support (``logistics/forms.py``), each with ``add_form_step`` when its module is
imported (the apps' ``ready()``). A step is numbered by its place in ``order``: the pages, the progress kept in
``Participant.form_step`` and the checks before submitting read the numbers from here, never a fixed list.

This module holds only the registry: it imports no form, view or service, so services may read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FormStep:
    #: A stable name (``"personal"``, ``"travel"``...): tests and templates name steps by it, never by number.
    key: str
    #: Where the step stands in the form; registration's own steps use 10, 20, 30 and 90.
    order: int
    label: Any
    #: ``build_form(participant, data, files) -> Form``: the form bound to the request (or unbound).
    build_form: Callable
    #: ``save(participant, actor, form, number)``: one service call that saves the cleaned form and the progress.
    save: Callable
    #: Frozen once the participant is approved: the badge and the visa letter were issued on it.
    identity: bool = False
    #: ``missing(participant) -> list[str]``: what still stops the submission, translated.
    missing: Callable | None = None
    #: ``done(participant) -> bool`` beside the progress reached (the photo step needs a photo).
    done: Callable | None = None
    #: A template included above the form (and its context, ``context(participant) -> dict``).
    intro_template: str = ""
    #: A template included in the status page's summary list (``<dt>``/``<dd>`` pairs).
    status_template: str = ""
    context: Callable | None = None


_STEPS: dict[str, FormStep] = {}


def add_form_step(step: FormStep) -> FormStep:
    """Add (or replace, by key) a step of the form."""
    _STEPS[step.key] = step
    return step


def form_steps() -> list[FormStep]:
    """Every step in the order of the form."""
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.key))


def step_count() -> int:
    return len(_STEPS)


def step_at(number: int) -> FormStep | None:
    """The step numbered ``number`` (from 1), or None."""
    steps = form_steps()
    return steps[number - 1] if 1 <= number <= len(steps) else None


def step_number(key: str) -> int:
    """The number (from 1) of the step called ``key``; KeyError when no app added it."""
    for number, step in enumerate(form_steps(), start=1):
        if step.key == key:
            return number
    raise KeyError(key)


def step_context(participant) -> dict:
    """The context every step gives for its templates (e.g. whether passport data is on file)."""
    context: dict = {}
    for step in form_steps():
        if step.context is not None:
            context.update(step.context(participant))
    return context
