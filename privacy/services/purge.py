"""Retention and purge: what each conference keeps how long, and the purge of what is due.

* :func:`retention_policy_set` writes a conference's policy, refusing a value outside the deployment's floor
  and ceiling with the reason.
* :func:`due_kinds` says which kinds are past their retention today (in the conference's time zone).
* :func:`purge_conference` purges each due kind, one step per kind: the registry's fields emptied (files
  removed from storage), rows deleted where a rule says so, the aggregates taken before, and a
  :class:`~privacy.models.PurgeRecord` written in the same transaction. A step that finds nothing writes no
  record once a record of its kind exists, so a second run changes nothing; a run interrupted between steps
  keeps the records of the steps done and the next run does the rest.
* :func:`purge_participant` does the same for one participant (a granted deletion request).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from conference.models import Conference
from conference.services import AccordError, audit_record

from .. import registry
from ..enums import KIND_ORDER, RetentionKind
from ..models import DeletionRequest, PurgeRecord, RetentionPolicy

# Policies ---------------------------------------------------------------------------------------------


def retention_policy_for(conference: Conference) -> RetentionPolicy:
    """The conference's policy (unsaved, with the deployment's defaults, when it has none)."""
    try:
        return conference.retention_policy
    except RetentionPolicy.DoesNotExist:
        return RetentionPolicy(conference=conference)


def retention_policy_set(conference: Conference, *, actor, **days: int | bool | None) -> RetentionPolicy:
    """Set the days each kind lives after the last day (``sensitive_days=30``, ...; None = the default), and
    ``automatic_purge`` (False pauses the daily task for this conference, where the deployment allows it).

    Raises AccordError, and changes nothing, when a value is below the deployment's floor or above its ceiling.
    """
    unknown = set(days) - {f"{kind}_days" for kind in RetentionKind.values} - {"automatic_purge"}
    if unknown:
        raise AccordError(f"Unknown retention fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        policy = RetentionPolicy.objects.select_for_update().filter(conference=conference).first()
        policy = policy or RetentionPolicy(conference=conference)
        before = {name: getattr(policy, name) for name in days}
        for name, value in days.items():
            setattr(policy, name, value)
        try:
            policy.full_clean(exclude=["conference"])
        except ValidationError as error:
            raise AccordError(" ".join(m for messages in error.message_dict.values() for m in messages)) from error
        policy.save()
        audit_record(
            actor=actor, action="privacy.retention_set", target=policy, conference=conference,
            changes={name: {"old": before[name], "new": value} for name, value in days.items()},
        )
    return policy


def due_date(conference: Conference, kind: str, policy: RetentionPolicy | None = None) -> datetime.date:
    """The first day on which ``kind`` is purged: the day after the last day plus the retention days."""
    policy = policy or retention_policy_for(conference)
    return conference.end_date + datetime.timedelta(days=policy.days(kind) + 1)


def due_kinds(conference: Conference, *, today: datetime.date | None = None) -> list[str]:
    today = today or timezone.localdate(timezone=conference.tz)
    policy = retention_policy_for(conference)
    return [kind for kind in KIND_ORDER if today >= due_date(conference, kind, policy)]


# The engine ---------------------------------------------------------------------------------------------


@dataclass
class StepResult:
    kind: str
    count: int = 0
    files: int = 0
    details: dict[str, int] = field(default_factory=dict)
    record: PurgeRecord | None = None


def _empty(model_field: models.Field):
    if isinstance(model_field, models.FileField):
        return ""
    if model_field.null:
        return None
    if isinstance(model_field, models.BooleanField):
        return False
    if isinstance(model_field, models.JSONField):
        return model_field.get_default()
    return ""


def _holding(model_field: models.Field) -> models.Q:
    """Rows whose ``model_field`` still holds a value."""
    name = model_field.name
    empty = _empty(model_field)
    if empty is None:
        return models.Q(**{f"{name}__isnull": False})
    return ~models.Q(**{name: empty})


def _delete_files(storage, names) -> int:
    removed = 0
    for name in names:
        if name and storage.exists(name):
            storage.delete(name)
            removed += 1
    return removed


def _purge_rule(rule: registry.ModelRule, kind: str, queryset: models.QuerySet, *, dry_run: bool, result: StepResult):
    model = rule.model
    if rule.delete == kind:
        rows = queryset.count()
        if rows:
            for file_field in [f for f in registry.declared_fields(model) if isinstance(f, models.FileField)]:
                names = list(queryset.exclude(**{file_field.name: ""}).values_list(file_field.name, flat=True))
                result.files += len(names) if dry_run else _delete_files(file_field.storage, names)
            if not dry_run:
                queryset.delete()
            result.details[f"{rule.label} (rows)"] = rows
            result.count += rows
        return
    for name, replace in rule.purge.get(kind, {}).items():
        model_field = model._meta.get_field(name)
        if model_field.many_to_many:
            through = model_field.remote_field.through
            links = through.objects.filter(**{f"{model._meta.model_name}__in": queryset.values("pk")})
            changed = links.count()
            if changed and not dry_run:
                links.delete()
        elif replace is not None:
            rows = list(queryset.exclude(replace.done))
            changed = len(rows)
            if not dry_run:
                for row in rows:
                    setattr(row, name, replace.value(row))
                    row.save(update_fields=[name])
        elif isinstance(model_field, models.FileField):
            holding = list(queryset.filter(_holding(model_field)).values_list("pk", name))
            changed = len(holding)
            if changed:
                names = [file_name for _pk, file_name in holding]
                if dry_run:
                    result.files += changed
                else:
                    # Removed before the commit: a step that fails after this leaves names of missing files,
                    # which the next run clears (a missing file is not an error), never files without a name.
                    result.files += _delete_files(model_field.storage, names)
                    model._default_manager.filter(pk__in=[pk for pk, _name in holding]).update(**{name: ""})
        else:
            target = queryset.filter(_holding(model_field))
            changed = target.count() if dry_run else target.update(**{name: _empty(model_field)})
        if changed:
            result.details[f"{rule.label}.{name}"] = changed
            result.count += changed


def _aggregates(conference: Conference) -> dict:
    return {name: function(conference) for name, function in sorted(registry.aggregates().items())}


def _step(
    conference: Conference, kind: str, *, scope: str, rule_text: str, actor=None, dry_run: bool,
    deletion_request: DeletionRequest | None = None, participant_id: int | None = None,
) -> StepResult:
    result = StepResult(kind=kind)
    with transaction.atomic():
        # One purge of a conference at a time (the beat task and an organizer's command).
        Conference.objects.select_for_update().filter(pk=conference.pk).first()
        # The counts of the conference before its first purge step: a later step would count what the earlier
        # ones emptied (the meals once the travel and needs are gone).
        first = (
            PurgeRecord.objects.filter(conference=conference, deletion_request__isnull=True).order_by("created_at", "pk")
            .values_list("aggregates", flat=True).first()
        )
        kept = first if first and scope == "conference" else _aggregates(conference)
        for rule in registry.rules():
            path = rule.participant if scope == "participant" else rule.conference
            if path is None:
                continue
            if kind not in rule.purge and rule.delete != kind:
                continue
            if scope == "participant":
                base = rule.model._default_manager.filter(rule.participant_filter(participant_id))
                if rule.conference:
                    base = base.filter(**{rule.conference: conference.pk})
            else:
                base = rule.model._default_manager.filter(**{path: conference.pk})
            _purge_rule(rule, kind, base, dry_run=dry_run, result=result)
        if dry_run:
            return result
        previous = PurgeRecord.objects.filter(conference=conference, kind=kind, deletion_request=deletion_request)
        if result.count or result.files or not previous.exists():
            result.record = PurgeRecord.objects.create(
                conference=conference, kind=kind, rule=rule_text, count=result.count, files=result.files,
                details=result.details, aggregates=kept, deletion_request=deletion_request,
                actor=actor if getattr(actor, "pk", None) else None,
            )
    return result


def purge_conference(
    conference: Conference, *, actor=None, dry_run: bool = False, today: datetime.date | None = None,
    kinds: list[str] | None = None,
) -> list[StepResult]:
    """Purge every kind of ``conference``'s personal data that is past its retention (or only ``kinds``, which
    must be due). Each kind is one committed step with its record. Returns what each step removed (or would,
    with ``dry_run``, which changes nothing)."""
    policy = retention_policy_for(conference)
    due = due_kinds(conference, today=today)
    results = []
    for kind in due:
        if kinds is not None and kind not in kinds:
            continue
        rule_text = (
            f"{kind}: {policy.days(kind)} days after {conference.end_date.isoformat()}, due "
            f"{due_date(conference, kind, policy).isoformat()}"
            + (" (conference policy)" if policy.pk and getattr(policy, f"{kind}_days") is not None
               else " (deployment default)")
        )
        results.append(_step(conference, kind, scope="conference", rule_text=rule_text, actor=actor, dry_run=dry_run))
    return results


def purge_participant(participant, *, deletion_request: DeletionRequest | None = None, actor=None) -> list[StepResult]:
    """Anonymize one participant: every kind of their data, as a purge would, with one record per kind (the
    aggregates of the conference taken before)."""
    rule_text = f"deletion request #{deletion_request.pk}" if deletion_request else "deletion of one participant"
    return [
        _step(
            participant.conference, kind, scope="participant", rule_text=rule_text, actor=actor, dry_run=False,
            deletion_request=deletion_request, participant_id=participant.pk,
        )
        for kind in KIND_ORDER
    ]


def purge_all_due(*, today: datetime.date | None = None) -> int:
    """Purge what is due in every conference whose last day is past (the daily beat task). Returns the number of
    records written."""
    written = 0
    horizon = timezone.now().date() - datetime.timedelta(days=min(v["floor"] for v in settings.PRIVACY_RETENTION.values()))
    ended = Conference.objects.filter(end_date__lt=horizon).exclude(retention_policy__automatic_purge=False)
    for conference in ended.order_by("end_date", "pk"):
        written += sum(1 for step in purge_conference(conference, today=today) if step.record)
    return written
