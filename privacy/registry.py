"""The one registry of personal fields ("shredders", after pretix's pattern).

Each app says, in its own ``privacy.py`` (autodiscovered by ``PrivacyConfig.ready``), for each of its models:

* how the model reaches its conference (``conference="participant__conference"``) and, where it holds one
  person's data, its participant (``participant="participant"``; ``"pk"`` for the participant itself);
* which fields each retention kind purges (``purge={RetentionKind.PHOTOS: ["photo"]}``), and whether one kind
  deletes whole rows (``delete=RetentionKind.REST``: the fields listed under that kind go with the row, and
  their files from storage);
* which fields are kept and why (``keep={("name", "name_fr"): "the conference's own name"}``);
* which fields are never shown, not even to their owner (``hidden``: tokens and other secrets).

Every field of every model of the project's apps is either purged by a kind or kept with a reason:
``tests/privacy/test_registry.py`` walks them all, so a new field without a rule fails the tests.

An app also registers the aggregates a purge keeps (counts by delegation, category, gender; meal counts) with
:func:`register_aggregate`, and ``registration`` says how a user's own participation is found
(:func:`register_participant_lookup`): ``privacy`` imports no app above ``conference``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models

from .enums import RetentionKind

#: The apps whose models must all be declared.
PROJECT_APPS = ("conference", "registration", "sessions_app", "logistics", "onsite", "cooperation", "privacy", "demo",
                "api")


@dataclass(frozen=True)
class Replace:
    """Purge a field that cannot be empty by writing ``value(row)``; rows matching ``done`` are already purged."""

    value: Callable[[models.Model], object]
    done: models.Q


def anonymous_email(prefix: str, attribute: str = "pk") -> Replace:
    """An address in the reserved ``.invalid`` domain, unique per row (an address column may be unique)."""
    return Replace(
        value=lambda row: f"{prefix}-{getattr(row, attribute)}@deleted.invalid",
        done=models.Q(email__endswith="@deleted.invalid"),
    )


@dataclass
class ModelRule:
    model: type[models.Model]
    conference: str | None
    participant: str | tuple[str, ...] | None
    purge: dict[str, dict[str, Replace | None]] = field(default_factory=dict)
    delete: str | None = None
    keep: dict[str, str] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        return self.model._meta.label

    def kind_of(self, name: str) -> str | None:
        for kind, fields in self.purge.items():
            if name in fields:
                return kind
        return None

    def participant_filter(self, participant_id: int) -> models.Q:
        """Rows of this model about participant ``participant_id`` (through any of its participant paths)."""
        paths = (self.participant,) if isinstance(self.participant, str) else tuple(self.participant or ())
        condition = models.Q()
        for path in paths:
            condition |= models.Q(**{path: participant_id})
        return condition

    def classified(self) -> set[str]:
        names = set(self.keep)
        for fields in self.purge.values():
            names.update(fields)
        return names


_rules: dict[type[models.Model], ModelRule] = {}
_aggregates: dict[str, Callable] = {}
_participant_lookup: list[Callable] = []
_errors: list[str] = []
_permissions: dict[str, str] = {}


def _names(value: str | Iterable[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def register(
    model: type[models.Model] | str,
    *,
    conference: str | None,
    participant: str | tuple[str, ...] | None = None,
    purge: dict[str, Iterable[str] | dict[str, Replace | None]] | None = None,
    delete: str | None = None,
    keep: dict[str | tuple[str, ...], str] | None = None,
    hidden: Iterable[str] = (),
    ahead: Iterable[str] = (),
) -> ModelRule | None:
    """Declare ``model``'s personal fields (see the module's docstring). A field that does not exist, is named
    twice or is kept without a reason is listed by :func:`errors` (which the registry test asserts empty) rather
    than raised: a model changed in one app must not stop the whole project from starting. ``ahead`` names
    fields declared before the model has them in every checkout (work in progress in another app): their
    absence is not an error."""
    if isinstance(model, str):
        # By label ("app.Model"): an app may declare a model before the model exists in every checkout; a
        # label that names no model declares nothing.
        from django.apps import apps

        try:
            model = apps.get_model(model)
        except LookupError:
            return None
    concrete = {f.name for f in declared_fields(model)}
    rule = ModelRule(model=model, conference=conference, participant=participant, delete=delete, hidden=frozenset(hidden))
    label = model._meta.label
    if delete is not None and delete not in RetentionKind.values:
        _errors.append(f"{label}: unknown retention kind {delete!r}")
    seen: set[str] = set()
    for kind, fields in (purge or {}).items():
        if kind not in RetentionKind.values:
            _errors.append(f"{label}: unknown retention kind {kind!r}")
        fields = dict(fields) if isinstance(fields, dict) else dict.fromkeys(fields)
        rule.purge[kind] = fields
        seen.update(fields)
    for names, reason in (keep or {}).items():
        if not str(reason).strip():
            _errors.append(f"{label}: a kept field needs a reason ({names})")
        for name in _names(names):
            if name in seen:
                _errors.append(f"{label}.{name} is both purged and kept")
            rule.keep[name] = reason
            seen.add(name)
    unknown = (seen | set(rule.hidden)) - concrete
    if unknown - set(ahead):
        _errors.append(f"{label}: no such fields {sorted(unknown - set(ahead))}")
    if unknown:
        for fields in rule.purge.values():
            for name in unknown & set(fields):
                del fields[name]
        for name in unknown & set(rule.keep):
            del rule.keep[name]
    _rules[model] = rule
    return rule


def register_aggregate(name: str, function: Callable) -> None:
    """``function(conference) -> dict`` (JSON): counts a purge keeps in its record, taken before it removes."""
    _aggregates[name] = function


def register_sensitive_permission(sensitive_class: str, permission: str) -> None:
    """The permission that shows a class of sensitive data (``privacy.sensitive``), declared by the app that owns
    the data: registration (later logistics) for passport data."""
    _permissions[sensitive_class] = permission


def sensitive_permission(sensitive_class: str, default: str) -> str:
    return _permissions.get(sensitive_class, default)


def register_participant_lookup(function: Callable) -> None:
    """``function(user, conference) -> participant or None``: the user's own participation (registration's rule)."""
    _participant_lookup[:] = [function]


def declared_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields a rule must classify: the model's own columns and many-to-many fields (not the automatic id)."""
    return [
        f for f in model._meta.get_fields()
        if (f.concrete or f.many_to_many) and not f.auto_created and f.model is model
    ]


def errors() -> list[str]:
    """What the declarations got wrong (unknown fields or kinds, a field named twice, a keep without reason)."""
    return list(_errors)


def rules() -> list[ModelRule]:
    return list(_rules.values())


def rule_for(model: type[models.Model]) -> ModelRule | None:
    return _rules.get(model)


def aggregates() -> dict[str, Callable]:
    return dict(_aggregates)


def own_participant(user, conference):
    """The user's participation in ``conference`` as registration finds it (None without one)."""
    if not _participant_lookup or conference is None:
        return None
    return _participant_lookup[0](user, conference)


def project_models(app_registry=None) -> list[type[models.Model]]:
    """Every concrete model of the project's apps (of ``app_registry``, Django's by default)."""
    if app_registry is None:
        from django.apps import apps as app_registry
    return [
        model for model in app_registry.get_models()
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy and not model._meta.abstract
    ]


def unclassified(model_list: Iterable[type[models.Model]] | None = None) -> dict[str, list[str]]:
    """For each model (every project model by default), the fields no rule purges or keeps (empty when all are
    declared); a model without a rule lists all its fields."""
    missing = {}
    for model in project_models() if model_list is None else model_list:
        missing.update(unclassified_fields(model))
    return missing


def unclassified_fields(model: type[models.Model]) -> dict[str, list[str]]:
    rule = _rules.get(model)
    names = [f.name for f in declared_fields(model)]
    if rule is None:
        return {model._meta.label: names} if names else {}
    left = [name for name in names if name not in rule.classified()]
    return {model._meta.label: left} if left else {}


def unregister(model: type[models.Model]) -> None:
    """Forget ``model``'s rule (tests that declare a model of their own)."""
    _rules.pop(model, None)
