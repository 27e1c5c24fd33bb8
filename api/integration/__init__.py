"""The read-only integration API (issue 19, item 5): tokens for organizers and focal points, and the
participants, delegations, sessions and check-ins of one conference under ``/api/v1/conferences/<code>/``."""
