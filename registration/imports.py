"""Importing invitations from a spreadsheet (CSV in UTF-8, or XLSX).

``invitations_import(conference, content, filename, *, inviter, dry_run)`` reads the file, checks every
row and returns an ``ImportReport`` listing each bad row with its reasons. Nothing is written unless the
whole file is valid; then all invitations are created in one transaction (all or nothing) and their
e-mails are queued after commit.

Columns (header row, any order, case-insensitive): ``email`` and ``delegation`` (code) are required;
``first_name``, ``last_name``, ``category`` (code or English label, default delegate) and ``language``
(ar, fr or en, default en) are optional.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from conference import languages
from conference.enums import LanguageCode
from conference.models import Conference, Delegation
from conference.services import AccordError
from conference.validators import single_line_problem

from .enums import ParticipantCategory
from .models import Invitation, Participant
from .services.invitations import ACTIVE_STATUSES, invitation_create
from .services.participants import normalize_email

REQUIRED_COLUMNS = ("email", "delegation")
OPTIONAL_COLUMNS = ("first_name", "last_name", "category", "language")
COLUMN_ALIASES = {
    "e_mail": "email", "mail": "email", "email_address": "email", "courriel": "email",
    "given_name": "first_name", "given_names": "first_name", "firstname": "first_name", "prenom": "first_name",
    "surname": "last_name", "family_name": "last_name", "lastname": "last_name", "nom": "last_name",
    "delegation_code": "delegation", "code": "delegation",
    "lang": "language", "preferred_language": "language", "langue": "language",
}
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
NAME_MAX = 150


@dataclass
class ImportRow:
    line: int
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    delegation_code: str = ""
    category: str = ParticipantCategory.DELEGATE
    language: str = LanguageCode.ENGLISH
    errors: list[str] = field(default_factory=list)
    delegation: Delegation | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportReport:
    filename: str = ""
    file_errors: list[str] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)
    created: int = 0
    dry_run: bool = True

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and bool(self.rows) and all(row.ok for row in self.rows)

    @property
    def bad_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    def as_text(self) -> str:
        """The report as lines of plain text (for the command line)."""
        lines = [f"{self.filename}: {msg}" for msg in self.file_errors]
        for row in self.rows:
            status = "OK" if row.ok else "; ".join(row.errors)
            lines.append(f"row {row.line}: {row.email or '-'}: {status}")
        if self.is_valid:
            if self.dry_run:
                lines.append(ngettext("%(count)d row valid; nothing written (dry run).",
                                      "%(count)d rows valid; nothing written (dry run).", len(self.rows))
                             % {"count": len(self.rows)})
            else:
                lines.append(ngettext("%(count)d invitation created.", "%(count)d invitations created.", self.created)
                             % {"count": self.created})
        else:
            lines.append(
                _("File refused (bad rows: %(bad)d, file errors: %(file)d); nothing written.")
                % {"bad": len(self.bad_rows), "file": len(self.file_errors)}
            )
        return "\n".join(lines)


def _column_name(raw) -> str:
    name = str(raw or "").strip().lower().replace("-", "_").replace(" ", "_")
    return COLUMN_ALIASES.get(name, name)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise AccordError(
            _("The file is not in UTF-8 (first bad byte on line %(line)d). Save it as “CSV UTF-8” and try again.")
            % {"line": line}
        ) from None
    if "\x00" in text:
        raise AccordError(_("The file contains NUL characters: it is not a text CSV file."))
    # The sniffer only picks the delimiter (and whether spaces follow it); quoting is always RFC 4180's, read
    # strictly, so a stray quote cannot silently swallow the following rows into one value.
    try:
        sniffed = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter, skip_space = sniffed.delimiter, sniffed.skipinitialspace
    except csv.Error:
        delimiter, skip_space = ",", False
    reader = csv.reader(
        io.StringIO(text, newline=""), csv.excel, delimiter=delimiter, skipinitialspace=skip_space, strict=True
    )
    rows: list[list[str]] = []
    while True:
        # Each record must be one line of the file, so the row counted here is also the line in the file.
        row_number = len(rows) + 1
        try:
            values = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            if reader.line_num > row_number:  # a quoted value ran past its line, to the end of the file
                raise AccordError(
                    _("Row %(row)d: a quotation mark is opened and never closed, so the rest of the file would "
                      "be read as one value. Close or remove it, then import the file again; nothing was "
                      "written.") % {"row": row_number}
                ) from None
            raise AccordError(
                _("Row %(row)d cannot be read (%(error)s); nothing was written.")
                % {"row": row_number, "error": exc}
            ) from None
        if reader.line_num != row_number or any("\n" in value or "\r" in value for value in values):
            raise AccordError(
                _("Row %(row)d: a value spans several lines (a quotation mark left open?). Each person must be "
                  "on one line; nothing was written.") % {"row": row_number}
            )
        rows.append(values)


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise AccordError(_("The file is not a valid XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_rows(content: bytes, filename: str) -> list[list[str]]:
    """The rows of the file (header first) as lists of strings; AccordError for unreadable files."""
    if len(content) > MAX_BYTES:
        raise AccordError(_("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)})
    lower = (filename or "").lower()
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return _read_csv(content)
    if lower.endswith(".xlsx"):
        return _read_xlsx(content)
    raise AccordError(_("Unsupported file type: upload a .csv (UTF-8) or .xlsx file."))


def _category(value: str) -> str | None:
    if not value:
        return ParticipantCategory.DELEGATE
    lowered = value.strip().lower()
    for code, label in ParticipantCategory.choices:
        if lowered in (code, str(label).lower()):
            return code
    return None


def _language(value: str) -> str | None:
    if not value:
        return LanguageCode.ENGLISH
    # The registry knows each language by its code and its names; "عربي" (the adjective) is one more way to say it.
    return languages.code_for_name(value) or {"عربي": "ar"}.get(value.strip())


def invitations_check(conference: Conference, content: bytes, filename: str) -> ImportReport:
    """Read and check every row; write nothing. The report lists each bad row with its reasons."""
    report = ImportReport(filename=filename)
    try:
        table = read_rows(content, filename)
    except AccordError as exc:
        report.file_errors.append(str(exc))
        return report
    while table and not any(table[0]):
        table.pop(0)
    if not table:
        report.file_errors.append(_("The file is empty."))
        return report
    header = [_column_name(name) for name in table[0]]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        report.file_errors.append(
            _("Missing column(s): %(columns)s. Expected a header row with: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}
        )
        return report
    duplicated = sorted({name for name in header if name and header.count(name) > 1})
    if duplicated:
        report.file_errors.append(_("Duplicate column(s): %(columns)s.") % {"columns": ", ".join(duplicated)})
        return report
    index = {name: position for position, name in enumerate(header) if name}
    body = table[1:]
    if len(body) > MAX_ROWS:
        report.file_errors.append(_("Too many rows: at most %(max)d per file.") % {"max": MAX_ROWS})
        return report

    delegations = {d.code.lower(): d for d in Delegation.objects.filter(conference=conference)}
    seen: dict[str, int] = {}
    for offset, values in enumerate(body, start=2):
        if not any(str(v).strip() for v in values):
            continue

        def value(name: str, values=values) -> str:
            position = index.get(name)
            return _cell(values[position]) if position is not None and position < len(values) else ""

        row = ImportRow(line=offset, email=value("email"), first_name=value("first_name"),
                        last_name=value("last_name"), delegation_code=value("delegation"))
        if not row.email:
            row.errors.append(_("e-mail missing"))
        else:
            try:
                row.email = normalize_email(row.email)
            except AccordError:
                row.errors.append(_("invalid e-mail “%(email)s”") % {"email": row.email})
            else:
                if row.email in seen:
                    row.errors.append(_("duplicate e-mail (also on row %(line)d)") % {"line": seen[row.email]})
                else:
                    seen[row.email] = row.line
        if not row.delegation_code:
            row.errors.append(_("delegation missing"))
        else:
            row.delegation = delegations.get(row.delegation_code.lower())
            if row.delegation is None:
                row.errors.append(_("unknown delegation “%(code)s”") % {"code": row.delegation_code})
        category = _category(value("category"))
        if category is None:
            row.errors.append(_("unknown category “%(value)s”") % {"value": value("category")})
        else:
            row.category = category
        language = _language(value("language"))
        if language is None:
            row.errors.append(_("unknown language “%(value)s” (use ar, fr or en)") % {"value": value("language")})
        else:
            row.language = language
        if len(row.first_name) > NAME_MAX or len(row.last_name) > NAME_MAX:
            row.errors.append(_("name longer than %(max)d characters") % {"max": NAME_MAX})
        problem = single_line_problem(Invitation, {"first_name": row.first_name, "last_name": row.last_name})
        if problem:
            row.errors.append(problem)
        report.rows.append(row)

    if not report.rows and not report.file_errors:
        report.file_errors.append(_("The file has a header but no rows."))
    emails = [row.email for row in report.rows if row.email and "@" in row.email]
    if emails:
        registered = set(
            Participant.objects.filter(conference=conference, email__in=emails, user__isnull=False)
            .values_list("email", flat=True)
        )
        invited = set(
            Invitation.objects.filter(
                conference=conference, email__in=emails, status__in=ACTIVE_STATUSES, expires_at__gt=timezone.now()
            ).values_list("email", flat=True)
        )
        for row in report.rows:
            if row.email in registered:
                row.errors.append(_("already registered"))
            elif row.email in invited:
                row.errors.append(_("already invited"))
    return report


def invitations_import(
    conference: Conference, content: bytes, filename: str, *, inviter, dry_run: bool = True
) -> ImportReport:
    """Check the file and, unless ``dry_run`` or any row is bad, create every invitation in one transaction.

    If creating any invitation fails (for example someone invited the same address meanwhile), the whole
    import is rolled back, the row gets the reason, and no e-mail is sent.
    """
    report = invitations_check(conference, content, filename)
    report.dry_run = dry_run
    if dry_run or not report.is_valid:
        return report
    current = None
    try:
        with transaction.atomic():
            for row in report.rows:
                current = row
                invitation_create(
                    conference, email=row.email, delegation=row.delegation, category=row.category,
                    language=row.language, first_name=row.first_name, last_name=row.last_name, inviter=inviter,
                )
                report.created += 1
    except AccordError as exc:
        report.created = 0
        if current is not None:
            current.errors.append(str(exc))
    return report

