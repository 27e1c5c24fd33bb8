"""Extension points of registration: what other apps may react to, sent by the services after commit.

Receivers live in the reacting app's ``receivers.py`` and are connected in its ``AppConfig.ready()``;
registration never imports them. Each signal is sent with ``sender=Participant`` and ``participant_id`` (the row
is committed: a receiver loads it and queues its own tasks).

* ``participant_approved`` — a participant was approved (onsite creates the badge and pre-renders it;
  logistics issues the visa letter when one was asked for).
* ``participant_changed`` — an approved participant's data changed (onsite refreshes the pre-rendered badge).
"""

from django.dispatch import Signal

participant_approved = Signal()
participant_changed = Signal()
