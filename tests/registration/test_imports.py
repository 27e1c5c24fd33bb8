import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from registration.enums import InvitationStatus
from registration.imports import invitations_check, invitations_import
from registration.models import Invitation
from registration.services.invitations import invitation_create
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HEADER = "email,first_name,last_name,delegation,category,language\n"


@pytest.fixture
def conference():
    conference = ConferenceFactory(slug="sharm2023")
    DelegationFactory(conference=conference, code="EGY", country="EG")
    DelegationFactory(conference=conference, code="FRA", country="FR")
    return conference


def csv_bytes(text: str, *, bom: bool = False, encoding: str = "utf-8") -> bytes:
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_invitations_check_valid_csv_with_bom(conference):
    content = csv_bytes(HEADER + "a@example.org,Amal,Saïd,EGY,delegate,ar\nB@Example.org,Jean,Roux,fra,Expert,fr\n",
                        bom=True)
    report = invitations_check(conference, content, "list.csv")
    assert report.is_valid, report.as_text()
    assert [(r.email, r.delegation.code, r.category, r.language) for r in report.rows] == [
        ("a@example.org", "EGY", "delegate", "ar"), ("b@example.org", "FRA", "expert", "fr")]
    assert Invitation.objects.count() == 0


def test_invitations_check_reports_every_bad_row_with_reason(conference):
    ParticipantFactory(conference=conference, email="registered@example.org", user=UserFactory())
    with_invitation = "invited@example.org"
    invitation_create(conference, email=with_invitation)
    content = csv_bytes(
        HEADER
        + "ok@example.org,A,B,EGY,delegate,en\n"
        + "not-an-email,A,B,EGY,delegate,en\n"
        + "ok@example.org,A,B,EGY,delegate,en\n"
        + "x@example.org,A,B,XXX,delegate,en\n"
        + "y@example.org,A,B,EGY,chef,en\n"
        + "z@example.org,A,B,EGY,delegate,de\n"
        + "registered@example.org,A,B,EGY,delegate,en\n"
        + "invited@example.org,A,B,EGY,delegate,en\n"
        + ",A,B,,delegate,en\n"
    )
    report = invitations_check(conference, content, "bad.csv")
    assert not report.is_valid
    errors = {row.line: row.errors for row in report.rows}
    assert errors[2] == []
    assert errors[3] == ["invalid e-mail “not-an-email”"]
    assert errors[4] == ["duplicate e-mail (also on row 2)"]
    assert errors[5] == ["unknown delegation “XXX”"]
    assert errors[6] == ["unknown category “chef”"]
    assert errors[7] == ["unknown language “de” (use ar, fr or en)"]
    assert errors[8] == ["already registered"]
    assert errors[9] == ["already invited"]
    assert errors[10] == ["e-mail missing", "delegation missing"]
    assert "File refused (bad rows: 8," in report.as_text()


def test_invitations_check_missing_column_is_file_error(conference):
    report = invitations_check(conference, csv_bytes("email,first_name\na@example.org,A\n"), "x.csv")
    assert report.file_errors == [
        "Missing column(s): delegation. Expected a header row with: email, delegation, first_name, last_name, "
        "category, language."]
    assert not report.is_valid


def test_invitations_check_wrong_encoding_names_the_line(conference):
    content = csv_bytes(HEADER + "a@example.org,A,B,EGY,delegate,en\nb@example.org,Hélène,C,EGY,delegate,fr\n",
                        encoding="latin-1")
    report = invitations_check(conference, content, "latin1.csv")
    assert len(report.file_errors) == 1
    assert "not in UTF-8" in report.file_errors[0] and "line 3" in report.file_errors[0]


def test_invitations_check_unsupported_type_and_broken_xlsx(conference):
    assert "Unsupported file type" in invitations_check(conference, b"x", "list.pdf").file_errors[0]
    assert "not a valid XLSX" in invitations_check(conference, b"PK\x03\x04garbage", "list.xlsx").file_errors[0]


def test_invitations_import_xlsx_creates_all_and_queues_mails(conference, django_capture_on_commit_callbacks,
                                                              mailoutbox):
    content = xlsx_bytes([
        ["E-mail", "First name", "Last name", "Delegation", "Category", "Language"],
        ["one@example.org", "Un", "Premier", "FRA", "delegate", "fr"],
        ["two@example.org", "اثنان", "ثاني", "EGY", "head", "ar"],
        [None, None, None, None, None, None],
    ])
    with django_capture_on_commit_callbacks(execute=True):
        report = invitations_import(conference, content, "list.xlsx", inviter=StaffFactory(), dry_run=False)
    assert report.is_valid and report.created == 2
    assert sorted(Invitation.objects.values_list("email", "category", "language")) == [
        ("one@example.org", "delegate", "fr"), ("two@example.org", "head", "ar")]
    assert len(mailoutbox) == 2
    assert set(Invitation.objects.values_list("status", flat=True)) == {InvitationStatus.SENT}


def test_invitations_import_dry_run_writes_nothing(conference, django_capture_on_commit_callbacks, mailoutbox):
    content = csv_bytes(HEADER + "a@example.org,A,B,EGY,delegate,en\n")
    with django_capture_on_commit_callbacks(execute=True):
        report = invitations_import(conference, content, "a.csv", inviter=None, dry_run=True)
    assert report.is_valid and report.created == 0
    assert Invitation.objects.count() == 0 and mailoutbox == []


def test_invitations_import_one_bad_row_writes_nothing(conference, django_capture_on_commit_callbacks, mailoutbox):
    content = csv_bytes(HEADER + "a@example.org,A,B,EGY,delegate,en\nb@example.org,A,B,NOPE,delegate,en\n")
    with django_capture_on_commit_callbacks(execute=True):
        report = invitations_import(conference, content, "a.csv", inviter=None, dry_run=False)
    assert not report.is_valid and report.created == 0
    assert Invitation.objects.count() == 0 and mailoutbox == []


def test_import_invitations_command_dry_run_and_invalid_exit(conference, tmp_path, capsys,
                                                             django_capture_on_commit_callbacks):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(HEADER + "a@example.org,A,B,EGY,delegate,en\n"))
    call_command("import_invitations", str(good), "--dry-run", "--conference", "sharm2023")
    out = capsys.readouterr().out
    assert "row 2: a@example.org: OK" in out and "dry run" in out
    assert Invitation.objects.count() == 0
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(HEADER + "a@example.org,A,B,NOPE,delegate,en\n"))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_invitations", str(bad), "--conference", "sharm2023")
    assert exit_info.value.code == 1
    assert "unknown delegation “NOPE”" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_invitations", str(good), "--conference", "sharm2023")
    assert Invitation.objects.get().email == "a@example.org"


def test_invite_command_creates_and_sends(conference, capsys, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("invite", "New@Example.org", "--delegation", "egy", "--category", "expert", "--language",
                     "ar", "--conference", "sharm2023")
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.delegation.code, invitation.category, invitation.language) == (
        "new@example.org", "EGY", "expert", "ar")
    assert len(mailoutbox) == 1
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown delegation"):
        call_command("invite", "x@example.org", "--delegation", "ZZZ", "--conference", "sharm2023")
    with pytest.raises(CommandError, match="already been invited"):
        call_command("invite", "new@example.org", "--delegation", "EGY", "--conference", "sharm2023")


# Strict CSV (issue 20, item 5): a quote left open once swallowed the rest of the file into one first name ------------

UNTERMINATED = HEADER + 'ana@example.org,"Ana,Quote,EGY,delegate,en\nbob@example.org,Bob,Bee,EGY,delegate,en\n' \
    "cid@example.org,Cid,Cee,FRA,expert,fr\n"


def test_invitations_check_unterminated_quote_refuses_file_naming_row(conference):
    report = invitations_check(conference, csv_bytes(UNTERMINATED), "list.csv")
    assert not report.is_valid
    assert report.rows == []
    assert report.file_errors == [
        "Row 2: a quotation mark is opened and never closed, so the rest of the file would be read as one value. "
        "Close or remove it, then import the file again; nothing was written."
    ]


def test_invitations_check_value_spanning_lines_refuses_file_naming_row(conference):
    content = csv_bytes(HEADER + "ana@example.org,Ana,Haddad,EGY,delegate,en\n"
                        'bob@example.org,"Bob\nBcc: x@example.org",Bee,EGY,delegate,en\n'
                        "cid@example.org,Cid,Cee,FRA,expert,fr\n")
    report = invitations_check(conference, content, "list.csv")
    assert not report.is_valid
    assert report.file_errors == [
        "Row 3: a value spans several lines (a quotation mark left open?). Each person must be on one line; "
        "nothing was written."
    ]


def test_invitations_check_stray_quote_after_closing_refused(conference):
    content = csv_bytes(HEADER + 'ana@example.org,"Ana"x,Haddad,EGY,delegate,en\n')
    report = invitations_check(conference, content, "list.csv")
    assert report.file_errors == [
        "Row 2 cannot be read (',' expected after '\"'); nothing was written."
    ]


def test_invitations_check_quoted_values_with_doubled_quotes_and_semicolons_still_read(conference):
    content = csv_bytes("email;first_name;last_name;delegation\n"
                        'a@example.org;"Amal ""Mimi""";"Saïd; al-Masri";EGY\n"b@example.org";Jean;Roux;FRA\n')
    report = invitations_check(conference, content, "list.csv")
    assert report.is_valid, report.as_text()
    assert [(r.email, r.first_name, r.last_name) for r in report.rows] == [
        ("a@example.org", 'Amal "Mimi"', "Saïd; al-Masri"), ("b@example.org", "Jean", "Roux")]


def test_import_invitations_command_dry_run_unterminated_quote_exits_1(conference, tmp_path, capsys):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(UNTERMINATED))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_invitations", str(path), "--dry-run", "--conference", "sharm2023")
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "list.csv: Row 2: a quotation mark is opened and never closed" in out
    assert "File refused (bad rows: 0, file errors: 1); nothing written." in out
    assert Invitation.objects.count() == 0


def test_admin_import_unterminated_quote_refused_with_row(conference, admin_client):
    upload = io.BytesIO(csv_bytes(UNTERMINATED))
    upload.name = "list.csv"
    response = admin_client.post("/admin/registration/invitation/import/", {"conference": conference.pk,
                                                                            "file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Row 2: a quotation mark is opened and never closed" in html
    assert 'name="confirm"' not in html
    assert Invitation.objects.count() == 0
