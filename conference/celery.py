"""The Celery application: JSON only, tasks autodiscovered, acks late, time limits on every task.

Every task is a ``DjangoTask``: services queue work with ``task.delay_on_commit(...)`` (or
``apply_async_on_commit`` when options are needed), so nothing is sent for a transaction that rolls back.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

app = Celery("accord", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
