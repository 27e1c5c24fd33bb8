"""The registry of personal fields: every field of every model of the project's apps is purged by a retention
kind or kept with a reason, so a model that gains a field without a rule fails here."""

from __future__ import annotations

from django.db import models
from django.test.utils import isolate_apps

from privacy import registry
from privacy.enums import RetentionKind


def test_every_field_of_every_project_model_is_purged_or_kept():
    assert registry.unclassified() == {}


def test_declarations_name_only_existing_fields_and_give_reasons():
    assert registry.errors() == []


def test_every_project_model_is_walked():
    labels = {model._meta.label for model in registry.project_models()}
    assert {"registration.Participant", "onsite.Badge", "sessions_app.SessionSignup", "privacy.ReadLog",
            "conference.Delegation"} <= labels


def test_a_field_without_rule_fails_the_walk():
    with isolate_apps("registration") as test_apps:
        _walk_test_models(test_apps)


def _walk_test_models(test_apps):
    class Trip(models.Model):
        flight = models.CharField(max_length=20)
        seat = models.CharField(max_length=5)

        class Meta:
            app_label = "registration"

        def __str__(self) -> str:
            return "test model"

    class Unknown(models.Model):
        name = models.CharField(max_length=20)

        class Meta:
            app_label = "registration"

        def __str__(self) -> str:
            return "test model"

    try:
        registry.register(Trip, conference=None, purge={RetentionKind.TRAVEL_HOTEL: ["flight"]})
        walked = registry.unclassified(registry.project_models(test_apps))
        # A field the rule forgot, and a model without any rule, are both listed.
        assert walked == {"registration.Trip": ["seat"], "registration.Unknown": ["name"]}
        registry.register(Trip, conference=None, purge={RetentionKind.TRAVEL_HOTEL: ["flight"]},
                          keep={"seat": "a seat number names nobody"})
        assert registry.unclassified([Trip]) == {}
    finally:
        registry.unregister(Trip)


def test_a_rule_naming_a_missing_field_or_keeping_without_reason_is_an_error():
    with isolate_apps("registration"):
        _bad_rule()


def _bad_rule():
    class Card(models.Model):
        number = models.CharField(max_length=20)

        class Meta:
            app_label = "registration"

        def __str__(self) -> str:
            return "test model"

    before = list(registry.errors())
    try:
        registry.register(Card, conference=None, purge={RetentionKind.SENSITIVE: ["numbr"]}, keep={"number": " "})
        new = registry.errors()[len(before):]
        assert new == ["registration.Card: a kept field needs a reason (number)",
                       "registration.Card: no such fields ['numbr']"]
    finally:
        registry.unregister(Card)
        registry._errors[:] = before
