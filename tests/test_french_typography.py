"""French typography in the French catalog: a no-break space (narrow U+202F, or U+00A0) before : ; ? ! and inside
« », never an ordinary space and never nothing.

`french_spacing_problems(text)` checks any text (a msgstr, a rendered page's visible text, a PDF's extracted text)
and is meant to be reused on rendered French pages and PDFs."""

from __future__ import annotations

import datetime
import io
import re
import zoneinfo
from html.parser import HTMLParser
from pathlib import Path

import polib
import pypdf
import pytest
from django.urls import reverse

FRENCH_CATALOGS = sorted((Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES").glob("*.po"))

NO_BREAK_SPACES = "\u202f\u00a0"
HIGH_PUNCTUATION = ":;?!"

# What is not French prose and keeps its own punctuation: URLs and e-mail addresses, times such as 14:30, Python
# and str.format placeholders, HTML tags (with their CSS and attributes), character references, and brace-delimited
# code such as the JSON example {"delegate": 3}.
_NOT_PROSE = re.compile(
    r"""
      (?:https?|ftp|mailto|tel|webcal):\S+     # URLs
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+             # e-mail addresses
    | \b\d{1,2}:\d{2}(?::\d{2})?\b             # times 14:30, 09:05:00
    | \bHH:MM(?::SS)?\b                        # the format of a time to type, HH:MM
    | %\([A-Za-z_]\w*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]   # %(name)s, %(mb).1f
    | %[-#0 +]*\d*(?:\.\d+)?[sdifr]            # %s, %d
    | <[^<>]*>                                 # HTML tags, with their style attributes
    | &\#?\w+;                                 # character references
    | \{[^{}]*\}                               # {0}, {name}, {"delegate": 3}
    """,
    re.VERBOSE,
)


def _mask(text: str) -> str:
    """The text with every non-prose span replaced by letters of the same length (tags by nothing visible), so
    positions keep their meaning and no masked colon or question mark is checked."""

    def replace(match: re.Match) -> str:
        span = match.group(0)
        if span.startswith("<"):
            return "\x01" * len(span)  # a tag is invisible: the character before it counts
        return "x" * len(span)

    return _NOT_PROSE.sub(replace, text)


def _previous_visible(masked: str, index: int) -> str | None:
    index -= 1
    while index >= 0 and masked[index] == "\x01":
        index -= 1
    return masked[index] if index >= 0 else None


def _next_visible(masked: str, index: int) -> str | None:
    index += 1
    while index < len(masked) and masked[index] == "\x01":
        index += 1
    return masked[index] if index < len(masked) else None


def french_spacing_problems(text: str) -> list[str]:
    """Each place in `text` where : ; ? ! is not preceded by a no-break space, or « is not followed / » not
    preceded by one. An empty list means the text is correct. A ? or ! right after another ? or ! ("?!") and a
    sign at the very start of the text are not reported."""
    masked = _mask(text)
    problems = []
    for index, char in enumerate(masked):
        if char in HIGH_PUNCTUATION:
            before = _previous_visible(masked, index)
            if before is None or (char in "?!" and before in "?!"):
                continue
            if before not in NO_BREAK_SPACES:
                kind = "an ordinary space" if before.isspace() else "no space"
                problems.append(f"{kind} before {char!r} at {index}: …{text[max(0, index - 25):index + 10]}…")
        elif char == "«":
            after = _next_visible(masked, index)
            if after is not None and after not in NO_BREAK_SPACES:
                problems.append(f"no no-break space after '«' at {index}: …{text[index:index + 25]}…")
        elif char == "»":
            before = _previous_visible(masked, index)
            if before is not None and before not in NO_BREAK_SPACES:
                problems.append(f"no no-break space before '»' at {index}: …{text[max(0, index - 25):index + 1]}…")
    return problems


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


# --- the helper itself --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Motif\u202f: %(reason)s",
    "Pourquoi souhaitez-vous participer\u202f?",
    "Fichier refusé\u202f; rien n'a été enregistré.",
    "la réunion «\u202f%(conference_name)s\u202f»",
    "la catégorie «\u00a0%(category)s\u00a0»",
    "Voir https://accord.example.org/fr/me/?day=2 à 14:30, 09:05:00",
    'par exemple {"delegate": 3}',
    "Délégation\u202f: <bdi>%(delegation_name)s</bdi>",
    "<strong>Nom</strong>\u202f: <span style=\"color: red\">X</span>",
    "Écrivez à accord@example.org ou mailto:accord@example.org",
    "Vraiment\u202f?!",
])
def test_french_spacing_accepts(text):
    assert french_spacing_problems(text) == []


@pytest.mark.parametrize(("text", "count"), [
    ("Motif : %(reason)s", 1),
    ("Motif: %(reason)s", 1),
    ("Mot de passe oublié ?", 1),
    ("Mot de passe oublié?", 1),
    ("le lot ; relancer ! ", 2),
    ("la réunion « %(conference_name)s »", 2),
    ("la réunion «%(conference_name)s»", 2),
    ("<span class=\"role\">Présidence</span>: <bdi>Amina</bdi>", 1),
    ("Interprétation : arabe, français", 1),
])
def test_french_spacing_finds(text, count):
    assert len(french_spacing_problems(text)) == count, french_spacing_problems(text)


# --- the catalog --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", FRENCH_CATALOGS, ids=lambda path: path.name)
def test_french_catalog_spacing(path):
    problems = {}
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        for text in _translations(entry):
            found = french_spacing_problems(text)
            if found:
                problems[entry.msgid] = found
    assert problems == {}, f"{len(problems)} French entries with wrong spacing: {problems}"


def test_french_catalogs_exist():
    assert FRENCH_CATALOGS, "locale/fr/LC_MESSAGES/*.po not found"


# --- rendered French pages, e-mails and PDFs ----------------------------------------------------------------------
# Templates must not glue a translated label to a colon ({% translate "X" %}: …): the catalog's "X: %(value)s"
# messages carry the narrow no-break space. These render what a French participant reads and check it.


class _VisibleText(HTMLParser):
    """The text a reader sees, with each tag kept as an empty marker "<>" (the checker skips tags, so the sign
    after </span> is checked against the text before it); script and style contents left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in {"script", "style"}
        self.parts.append("<>")

    def handle_endtag(self, tag):
        self._skip -= tag in {"script", "style"} and self._skip > 0
        self.parts.append("<>")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data.replace("<", "‹").replace(">", "›"))


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return "".join(parser.parts)


def _pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def french_world(db, settings):
    from tests.factories import (
        ConferenceFactory,
        DelegationFactory,
        ParticipantFactory,
        RoomFactory,
        SessionFactory,
        SessionRoleFactory,
        StaffFactory,
    )

    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    conference = ConferenceFactory(
        slug="sharm2023", name="Inter-regional Conference", name_fr="Conférence interrégionale",
        name_ar="المؤتمر الأقاليمي", venue="Congress Centre", venue_fr="Centre des congrès",
        venue_ar="مركز المؤتمرات", city="Sharm El Sheikh", city_fr="Charm el-Cheikh", city_ar="شرم الشيخ",
    )
    room = RoomFactory(conference=conference, name="Luxor Room", name_fr="Salle Louxor", name_ar="قاعة الأقصر",
                       interpretation_languages=["ar", "fr", "en"], order=1)
    tz = zoneinfo.ZoneInfo("Africa/Cairo")
    session = SessionFactory(
        conference=conference, room=room, kind="panel", title="Panel: cooperation",
        title_fr="Réunion-débat\u202f: coopération", title_ar="حلقة نقاش: التعاون",
        starts_at=datetime.datetime(2023, 7, 10, 10, 30, tzinfo=tz), ends_at=datetime.datetime(2023, 7, 10, 12, tzinfo=tz),
        interpretation_languages=["ar", "fr", "en"], capacity=40, signup_required=True,
    )
    delegation = DelegationFactory(conference=conference, country="TN")
    judge = ParticipantFactory(conference=conference, delegation=delegation, badge_name="Leïla Ben Ali",
                               status="approved", preferred_language="fr", title="judge", gender="female")
    SessionRoleFactory(session=session, participant=judge, role="moderator")
    SessionRoleFactory(session=session, participant=ParticipantFactory(
        conference=conference, delegation=delegation, badge_name="Karim Haddad", status="approved"), role="panelist")
    return {"conference": conference, "session": session, "staff": StaffFactory(), "delegation": delegation}


def _french_page(client, url) -> str:
    client.cookies["accord_language"] = "fr"
    response = client.get(url)
    assert response.status_code == 200, url
    assert '<html lang="fr"' in response.content.decode()
    return visible_text(response.content.decode())


def test_french_programme_pages_spacing(client, french_world):
    session = french_world["session"]
    day = _french_page(client, reverse("sessions_app:day", args=["2023-07-10"]))
    detail = _french_page(client, reverse("sessions_app:session", args=[session.pk]))
    for text in (day, detail):
        assert "Modération<>\u202f:" in text and "Leïla Ben Ali" in text and "10:30" in text
        assert french_spacing_problems(text) == []
    assert "Interprétation\u202f: Arabe, Français, Anglais" in day
    client.force_login(french_world["staff"])
    grid = _french_page(client, reverse("sessions_app:grid", args=["2023-07-10"]))
    assert "Grille du jour\u202f: lundi 10 juillet 2023" in grid
    assert french_spacing_problems(grid) == []


def test_french_agenda_pdf_spacing(french_world):
    from sessions_app.rendering import render_agenda

    text = _pdf_text(render_agenda(french_world["conference"], "fr"))
    assert "Modération\u202f:" in text and "Interprétation\u202f:" in text and "10:30–12:00" in text
    assert "Centre des congrès, Charm el-Cheikh" in text
    assert french_spacing_problems(text) == []


def test_french_approval_email_spacing(french_world, django_capture_on_commit_callbacks, mailoutbox):
    from registration.services.participants import participant_approve
    from tests.factories import ParticipantFactory

    participant = ParticipantFactory(conference=french_world["conference"], delegation=french_world["delegation"],
                                     status="submitted", preferred_language="fr", first_name="Jeanne")
    with django_capture_on_commit_callbacks(execute=True):
        participant_approve(participant, actor=french_world["staff"])
    message = next(m for m in mailoutbox if m.to == [participant.email])
    html = message.alternatives[0][0]
    assert "la réunion «\u202fConférence interrégionale\u202f» a été approuvée" in message.body
    assert "Voir votre inscription\u202f: http" in message.body
    for text in (message.subject, message.body, visible_text(html)):
        assert french_spacing_problems(text) == [], text


def test_french_promotion_email_spacing(french_world, mailoutbox, django_capture_on_commit_callbacks):
    from sessions_app import services
    from tests.factories import ParticipantFactory

    session = french_world["session"]
    session.capacity = 1
    session.save(update_fields=["capacity"])
    first, second = (ParticipantFactory(conference=french_world["conference"], preferred_language="fr",
                                        badge_name=name) for name in ("Anne Roy", "Jean Roy"))
    confirmed = services.signup_create(session, participant=first)
    services.signup_create(session, participant=second)
    with django_capture_on_commit_callbacks(execute=True):
        services.signup_cancel(confirmed, actor=None)
    body = next(m for m in mailoutbox if m.to == [second.email]).body
    assert "\nlundi 10 juillet 2023, 10:30–12:00 (Africa/Cairo)\nSalle Louxor\n" in body, body
    assert "Salle\u202f: Salle" not in body and "Salle: Salle" not in body
    assert french_spacing_problems(body) == []


def test_french_visa_letter_spacing(french_world):
    from django.utils import timezone

    from logistics.rendering import render_visa_letter
    from tests.factories import ParticipantFactory

    participant = ParticipantFactory(conference=french_world["conference"], delegation=french_world["delegation"],
                                     status="approved", preferred_language="fr", first_name="Jeanne",
                                     last_name="Dupont", title="judge", gender="female")
    text = _pdf_text(render_visa_letter(participant, reference="SHARM2023/VISA/0001", issued_at=timezone.now()))
    assert "à la réunion intitulée «\u202fConférence interrégionale\u202f»" in text.replace("\n", " ")
    assert "(lieu\u202f: Centre des congrès)" in text.replace("\n", " ")
    assert "Mme la juge Jeanne Dupont" in text
    assert french_spacing_problems(text) == []
