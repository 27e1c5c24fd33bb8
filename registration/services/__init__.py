"""Writes for registration, one module per area (pretix's base/services/ layout).

invitations.py  — invitations: create, import, send, resend, revoke, accept
participants.py — participant create/update, approve, reject, cancel (audit + e-mails)
nominations.py  — focal-point nominations within quota, substitutions, open requests
steps.py        — the self-registration steps, photo processing, travel document
"""
