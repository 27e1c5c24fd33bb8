"""My contacts as a vCard file (RFC 6350, vCard 4.0, read by phones and mail clients) and as CSV."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from registration.exports import neutralize

from .selectors import Contact


def _escape(value: str) -> str:
    """A vCard text value: backslash, comma, semicolon and line breaks escaped (RFC 6350 3.4)."""
    return (value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (RFC 6350 3.2), never inside a UTF-8 sequence."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def contacts_vcard(contacts: list[Contact]) -> bytes:
    cards = []
    for contact in contacts:
        lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{_escape(contact.name)}"]
        organization = contact.organization or contact.delegation
        if organization:
            lines.append(f"ORG:{_escape(organization)}")
        if contact.position:
            lines.append(f"TITLE:{_escape(contact.position)}")
        if contact.email:
            lines.append(f"EMAIL;TYPE=work:{_escape(contact.email)}")
        if contact.phone:
            lines.append(f"TEL;TYPE=work,voice:{_escape(contact.phone)}")
        if contact.delegation:
            lines.append(f"NOTE:{_escape(contact.delegation)}")
        lines.append("END:VCARD")
        cards.append("\r\n".join(_fold(line) for line in lines))
    return ("\r\n".join(cards) + ("\r\n" if cards else "")).encode()


def contacts_csv(contacts: list[Contact]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Name"), _("Delegation"), _("Position"), _("Organization"), _("E-mail"), _("Phone")])
    for c in contacts:
        writer.writerow([neutralize(v) for v in (c.name, c.delegation, c.position, c.organization, c.email, c.phone)])
    # A byte-order mark so that spreadsheets open the file as UTF-8 (Arabic names).
    return ("\ufeff" + buffer.getvalue()).encode()


def outcome_report_xlsx(report) -> bytes:
    """The outcome report as a workbook: meetings by status, pairs, follow-ups by kind and status."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Meetings")[:31]
    sheet.append([_("Status"), _("Number")])
    for label, n in report.by_status:
        sheet.append([neutralize(label), n])
    pairs = book.create_sheet(_("Pairs of delegations")[:31])
    pairs.append([_("Delegation"), _("Delegation"), _("Meetings")])
    for a, b, n in report.pairs:
        pairs.append([neutralize(a), neutralize(b), n])
    follow = book.create_sheet(_("Follow-ups")[:31])
    follow.append([_("Kind"), *report.status_labels])
    for label, counts in report.matrix:
        follow.append([neutralize(label), *counts])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
