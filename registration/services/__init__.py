"""Writes for registration, one module per area (pretix's base/services/ layout).

invitations.py  — invitations: create, import, send, resend, revoke, accept
participants.py — participant create/update, approve, reject, cancel (audit + e-mails)
nominations.py  — focal-point nominations within quota, substitutions, open requests
forms.py        — the self-registration steps, photo processing, travel document
badges.py       — badge tokens, rendering and storing badge PDFs, batches, reprints
checkin.py      — desk scans and arrivals
"""
