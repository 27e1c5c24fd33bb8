"""Arabic, French and English everywhere: complete catalogs, pages without English fallback, e-mails in the
recipient's language, localized dates, right to left, multilingual content falling back to English."""

from __future__ import annotations

import functools
import gettext
import re
import shutil
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from conference.celery import app as celery_app
from conference.models import localized
from registration.enums import ParticipantStatus
from registration.services.invitations import invitation_create
from registration.services.participants import participant_approve
from tests.factories import (
    ConferenceFactory,
    DelegationFactory,
    ParticipantFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    StaffFactory,
    UserFactory,
)
from tests.module_rows import fresh_copy, module_rows

BASE = Path(settings.BASE_DIR)
LOCALE = BASE / "locale"
LANGUAGES = ("fr", "ar")
DOMAINS = [d for d in ("django", "djangojs") if (LOCALE / "fr" / "LC_MESSAGES" / f"{d}.po").exists()]
IGNORES = ["--ignore", ".venv/*", "--ignore", "var/*", "--ignore", "tests/*", "--ignore", "bench/*",
           "--ignore", "static/vendor/*"]


def catalog(language: str, domain: str = "django") -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.po"))


def entry_key(entry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


# --- (a) catalogs complete, (b) compiled catalogs match, (c) catalogs up to date with the code ------------------
@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_every_entry_translated_none_fuzzy(language, domain):
    po = catalog(language, domain)
    assert not po.metadata_is_fuzzy
    entries = [e for e in po if not e.obsolete]
    assert entries, "empty catalog"
    untranslated = [e.msgid for e in entries if not e.translated()]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == [] and fuzzy == []
    expected_forms = 6 if language == "ar" else 2
    assert f"nplurals={expected_forms};" in po.metadata["Plural-Forms"]
    for entry in entries:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == list(range(expected_forms)), entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_placeholders_kept(language, domain):
    placeholder = re.compile(r"%\([a-z_]+\)[-#0 +]*\d*(?:\.\d+)?[sdfi]|\{[a-z_]*\}")
    for entry in catalog(language, domain):
        expected = sorted(set(placeholder.findall(entry.msgid)))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(set(placeholder.findall(text))) == expected, (entry.msgid, text)


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_po(language, domain):
    mo_path = LOCALE / language / "LC_MESSAGES" / f"{domain}.mo"
    assert mo_path.exists(), f"{mo_path} missing: run make compilemessages and commit it"
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in catalog(language, domain):
        if entry.obsolete:
            continue
        key = entry_key(entry)
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                assert compiled._catalog.get((key, index)) == text, (entry.msgid, index)
        else:
            assert compiled._catalog.get(key) == entry.msgstr, entry.msgid


def test_catalogs_up_to_date_with_code(tmp_path):
    """Every string marked for translation in the code is in the committed catalogs (run `make messages`)."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext is needed to check the catalogs (apt-get install gettext; .ci/run installs it)")
    work = tmp_path / "src"
    work.mkdir()
    for name in ("manage.py", "conference", "registration", "sessions_app", "onsite", "logistics", "cooperation", "privacy", "api", "demo",
                 "templates", "static/js", "locale"):
        source = BASE / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        elif source.exists():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, work / name)
    commands = [["makemessages", "-l", "fr", "-l", "ar", *IGNORES]]
    if (BASE / "static" / "js").is_dir():
        commands.append(["makemessages", "-d", "djangojs", "-l", "fr", "-l", "ar", *IGNORES])
    for command in commands:
        subprocess.run([sys.executable, "manage.py", *command], cwd=work, check=True, capture_output=True)
    missing = {}
    for language in LANGUAGES:
        for domain in ("django", "djangojs"):
            fresh_path = work / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
            if not fresh_path.exists():
                continue
            committed_path = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
            committed = (
                {entry_key(e) for e in polib.pofile(str(committed_path)) if not e.obsolete}
                if committed_path.exists() else set()
            )
            fresh = {entry_key(e) for e in polib.pofile(str(fresh_path)) if not e.obsolete}
            if fresh - committed:
                missing[f"{language}/{domain}"] = sorted(fresh - committed)
    assert missing == {}, "run `make messages`, translate the new entries in the .po files and `make compilemessages`"


# --- pages -----------------------------------------------------------------------------------------------------
class VisibleText(HTMLParser):
    """Text nodes and user-facing attributes of a page, skipping scripts, styles and parts in another language."""

    SKIP = {"script", "style", "template", "noscript"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.nodes: list[str] = []
        self.html_lang = None
        self.html_dir = None

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang, self.html_dir = attrs.get("lang"), attrs.get("dir")
        lang = attrs.get("lang")
        skip = tag in self.SKIP or (lang is not None and tag != "html" and lang != self.html_lang)
        if not (skip or self._skipping()):
            for name in self.ATTRIBUTES:
                if attrs.get(name):
                    self.nodes.append(attrs[name])
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.nodes.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._skipping():
            text = " ".join(data.split())
            if text:
                self.nodes.append(text)


def visible(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    return parser


@functools.cache
def english_fallbacks(language: str) -> dict[str, str]:
    """msgid → translation for every entry whose translation differs from the English (parsed once per run)."""
    result = {}
    for domain in DOMAINS:
        for entry in catalog(language, domain):
            if entry.msgid_plural:
                continue
            if entry.msgstr and entry.msgstr != entry.msgid and re.search(r"[A-Za-z]", entry.msgid):
                result[" ".join(entry.msgid.split())] = entry.msgstr
    return result


# Latin-script words that may stay in an Arabic page: names of products, formats and codes.
LATIN_ALLOWED = {
    "Accord", "PDF", "iCal", "QR", "CSV", "UTF", "XLSX", "ZIP", "Excel", "JPEG", "PNG", "Outlook", "Google", "Enter",
    "Africa/Cairo", "MS", "SSH", "A4", "A6", "CR80", "TOTP", "Français", "English", "Django", "Dr", "Amina",
    # examples and column names in help texts of the admin
    "EGY", "UNODC", "delegate", "email", "first_name", "last_name", "delegation", "category", "language", "ar",
    "fr", "en", "csv", "xlsx", "UTF-8",
}
# Left in English by Django or allauth themselves (not our strings): the admin search icon's alt text, boolean
# icons' alt text, and allauth's Authenticator model, which has no verbose name.
THIRD_PARTY_ENGLISH = {"Search", "True", "False", "None", "Authenticators"}
ENGLISH_WORDS = {"the", "your", "you", "and", "with", "this", "for", "to", "of", "is", "are", "not", "has", "have",
                 "will", "be", "from", "please", "our", "at", "no", "yes", "my", "log", "sign", "save"}


def untranslated_nodes(html: str, language: str, user_data: set[str]) -> list[str]:
    page = visible(html)
    fallbacks = english_fallbacks(language)
    problems = []
    ordered = sorted((d for d in user_data if d), key=len, reverse=True)
    for node in page.nodes:
        text = node
        for datum in ordered:
            text = text.replace(datum, " ")
        text = " ".join(text.split())
        if not text or node in THIRD_PARTY_ENGLISH:
            continue
        if text in fallbacks or text.rstrip(":") in fallbacks:
            problems.append(node)
            continue
        if language == "ar":
            words = re.findall(r"[A-Za-z][A-Za-z0-9/._-]*", text)
            if [w for w in words if w.strip("._-") not in LATIN_ALLOWED and len(w.strip("._-")) > 1]:
                problems.append(node)
        else:
            words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
            if words & ENGLISH_WORDS and not re.search(r"[àâçéèêëîïôûùüÿœ]", text):
                problems.append(node)
    return problems


WORLD_SETTINGS = {"ACCORD_DEFAULT_CONFERENCE": "sharm2023", "ACCORD_REQUIRE_STAFF_MFA": False,
                  "SITE_URL": "https://accord.example.org"}


def build_world():
    conference = ConferenceFactory(
        slug="sharm2023", name="Inter-regional Conference on Trafficking", name_fr="Conférence interrégionale",
        name_ar="المؤتمر الأقاليمي", short_name="IRC23", venue="Congress Centre", venue_fr="Centre des congrès",
        venue_ar="مركز المؤتمرات", city="Sharm El Sheikh", city_fr="Charm el-Cheikh", city_ar="شرم الشيخ",
        contact_email="contact@accord.example.org",
    )
    delegation = DelegationFactory(conference=conference, code="TUN", country="TN", seat_quota=5)
    room = RoomFactory(conference=conference, name="Hall A", name_fr="Salle A", name_ar="القاعة أ", order=1)
    session = SessionFactory(
        conference=conference, room=room, kind="opening", title="Opening ceremony",
        title_fr="Cérémonie d'ouverture", title_ar="حفل الافتتاح", capacity=50, signup_required=True,
    )
    participant_user = UserFactory(username="leila@example.org")
    EmailAddress.objects.create(user=participant_user, email=participant_user.email, verified=True, primary=True)
    participant = ParticipantFactory(
        conference=conference, delegation=delegation, user=participant_user, email=participant_user.email,
        first_name="Leïla", last_name="Ben Ali", badge_name="Dr. Leïla Ben Ali", badge_name_ar="ليلى بن علي",
        status=ParticipantStatus.APPROVED, preferred_language="fr",
    )
    SessionRoleFactory(session=session, participant=participant, role="chair")
    focal_user = UserFactory(username="focal@example.org")
    EmailAddress.objects.create(user=focal_user, email=focal_user.email, verified=True, primary=True)
    delegation.focal_points.add(focal_user)
    DelegationFactory(conference=conference, code="MAR", country="MA").focal_points.add(focal_user)
    ParticipantFactory(conference=conference, delegation=delegation, user=focal_user, email=focal_user.email,
                       first_name="Karim", last_name="Haddad", badge_name="Karim Haddad",
                       status=ParticipantStatus.SUBMITTED)
    invited_user = UserFactory(username="invited@example.org")
    EmailAddress.objects.create(user=invited_user, email=invited_user.email, verified=True, primary=True)
    ParticipantFactory(conference=conference, delegation=delegation, user=invited_user, email=invited_user.email,
                       first_name="Moussa", last_name="Traoré", status=ParticipantStatus.INVITED)
    lonely_user = UserFactory(username="lonely@example.org")
    EmailAddress.objects.create(user=lonely_user, email=lonely_user.email, verified=True, primary=True)
    staff = StaffFactory(username="staff@example.org")
    user_data = {
        "Inter-regional Conference on Trafficking", "Conférence interrégionale", "المؤتمر الأقاليمي", "IRC23",
        "Congress Centre", "Centre des congrès", "Sharm El Sheikh", "Charm el-Cheikh", "Hall A", "Salle A",
        "Opening ceremony", "Cérémonie d'ouverture", "Leïla", "Ben Ali", "Dr. Leïla Ben Ali", "Karim", "Haddad",
        "Karim Haddad", "TUN", "Tunisia", "Tunisie", "MAR", "Morocco", "Maroc", "contact@accord.example.org", participant_user.email,
        focal_user.email, lonely_user.email, invited_user.email, "Moussa", "Traoré", staff.email, participant.public_id, "Egypt", "Égypte",
    }
    eager, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, True
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), \
                TestCase.captureOnCommitCallbacks(execute=True):
            invitation_create(conference, email="amina@example.org", delegation=delegation, language="en",
                              first_name="Amina", last_name="Haddad", inviter=staff)
    finally:
        celery_app.conf.task_always_eager = eager
    invitation_url = re.search(r"https://accord\.example\.org(/invite/[^/\s]+/)", mail.outbox[-1].body).group(1)
    mail.outbox.clear()
    user_data |= {"amina@example.org", "Amina", "Haddad", "Amina Haddad"}
    return {
        "conference": conference, "delegation": delegation, "room": room, "session": session,
        "invitation_url": invitation_url,
        "participant": participant, "users": {"participant": participant_user, "focal": focal_user,
                                              "lonely": lonely_user, "staff": staff, "invited": invited_user,
                                              None: None},
        "user_data": user_data,
    }


# Built once for the module (every page and language reads the same rows), each test in its own savepoint on top.
world_rows = module_rows(build_world, **WORLD_SETTINGS)


@pytest.fixture
def world(world_rows, db, settings):
    rows, media_root = world_rows
    for name, value in WORLD_SETTINGS.items():
        setattr(settings, name, value)
    settings.MEDIA_ROOT = media_root
    return fresh_copy(rows)


PAGES = [
    ("home", None, lambda w: reverse("home")),
    ("login", None, lambda w: reverse("account_login")),
    ("signup", None, lambda w: reverse("account_signup")),
    ("password reset", None, lambda w: reverse("account_reset_password")),
    ("programme day", None, lambda w: reverse("sessions_app:day", args=["2023-07-10"])),
    ("session", "participant", lambda w: reverse("sessions_app:session", args=[w["session"].pk])),
    ("my agenda", "participant", lambda w: reverse("sessions_app:me")),
    ("register status", "participant", lambda w: reverse("registration:register")),
    ("register status (invited)", "invited", lambda w: reverse("registration:register")),
    *[(f"register step {n}", "invited", (lambda n: lambda w: reverse("registration:register_step",
                                                                       kwargs={"step": n}))(n))
      for n in range(1, 7)],
    ("no registration", "lonely", lambda w: reverse("registration:register")),
    ("open request", "lonely", lambda w: reverse("registration:open_request")),
    ("portal list", "focal", lambda w: reverse("registration:delegations")),
    ("portal detail", "focal", lambda w: reverse("registration:delegation", args=[w["delegation"].code])),
    ("desk", "staff", lambda w: reverse("registration:desk")),
    ("desk participant", "staff", lambda w: reverse("registration:desk_participant",
                                                    args=[w["participant"].public_id])),
    ("desk scan", "staff", lambda w: reverse("registration:desk_scan")),
    ("desk batches", "staff", lambda w: reverse("registration:desk_batches")),
    ("desk arrivals", "staff", lambda w: reverse("registration:desk_arrivals")),
    ("desk search results", "staff", lambda w: reverse("registration:desk") + "?q=Le%C3%AFla"),
    ("portal substitute", "focal", lambda w: reverse("registration:delegation_substitute",
                                                     args=[w["delegation"].code, w["participant"].public_id])),
    ("logout", "participant", lambda w: reverse("account_logout")),
    ("password reset done", None, lambda w: reverse("account_reset_password_done")),
    ("invitation landing", None, lambda w: w["invitation_url"]),
    ("programme grid", "staff", lambda w: reverse("sessions_app:grid", args=["2023-07-10"])),
    ("admin dashboard", "staff", lambda w: reverse("admin:registration_participant_dashboard",
                                                   args=[w["conference"].pk])),
    ("admin delegation", "staff", lambda w: reverse("admin:conference_delegation_change",
                                                    args=[w["delegation"].pk])),
    ("admin invitations", "staff", lambda w: reverse("admin:registration_invitation_changelist")),
    ("admin invitation import", "staff", lambda w: reverse("admin:registration_invitation_import")),
    ("admin sessions", "staff", lambda w: reverse("admin:sessions_app_session_changelist")),
    ("admin session", "staff", lambda w: reverse("admin:sessions_app_session_change", args=[w["session"].pk])),
    ("admin index", "staff", lambda w: reverse("admin:index")),
    ("admin participants", "staff", lambda w: reverse("admin:registration_participant_changelist")),
    ("admin participant", "staff", lambda w: reverse("admin:registration_participant_change",
                                                     args=[w["participant"].pk])),
]


def get_page(client, world, who, url_of, language):
    user = world["users"][who]
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url_of(world))
    assert response.status_code == 200, (url_of(world), response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "who", "url_of"), PAGES, ids=[p[0] for p in PAGES])
def test_page_in_language_has_lang_dir_and_no_english(client, world, name, who, url_of, language):
    html = get_page(client, world, who, url_of, language)
    page = visible(html)
    assert page.html_lang == language
    assert page.html_dir == ("rtl" if language == "ar" else "ltr")
    problems = untranslated_nodes(html, language, world["user_data"])
    assert not problems, "English left in the page:\n" + "\n".join(problems)


KNOWN_LABELS = {
    "home": {"fr": ["Programme", "Se connecter", "Informations pratiques"], "ar": ["البرنامج", "تسجيل الدخول"]},
    "register status": {"fr": ["Mon inscription", "Étapes"], "ar": ["تسجيلي", "المراحل"]},
    "programme day": {"fr": ["Cérémonie d'ouverture", "Salle A"], "ar": ["حفل الافتتاح", "القاعة أ"]},
    "portal detail": {"fr": ["Membres", "Désigner un membre"], "ar": ["الأعضاء", "ترشيح عضو"]},
    "admin index": {"fr": ["Participants", "Délégations"], "ar": ["المشاركون", "الوفود"]},
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(KNOWN_LABELS))
def test_page_shows_known_labels_translated(client, world, name, language):
    _, who, url_of = next(p for p in PAGES if p[0] == name)
    html = unescape(get_page(client, world, who, url_of, language))
    for label in KNOWN_LABELS[name][language]:
        assert label in html, label


def test_english_page_is_ltr_in_english(client, world):
    html = get_page(client, world, None, lambda w: reverse("home"), "en")
    page = visible(html)
    assert (page.html_lang, page.html_dir) == ("en", "ltr")
    assert "Practical information" in html


# --- language choice -------------------------------------------------------------------------------------------
def test_switcher_sets_cookie_and_pages_follow(client, world):
    response = client.post(reverse("set_language"), {"language": "ar", "next": reverse("home")})
    assert response.status_code == 302 and response.url == reverse("home")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    page = visible(client.get(reverse("sessions_app:day", args=["2023-07-10"])).content.decode())
    assert (page.html_lang, page.html_dir) == ("ar", "rtl")
    client.post(reverse("set_language"), {"language": "fr", "next": reverse("home")})
    assert visible(client.get(reverse("home")).content.decode()).html_lang == "fr"


def test_switcher_is_on_every_page_with_each_language(client, world):
    html = get_page(client, world, "participant", lambda w: reverse("registration:register"), "fr")
    assert f'action="{reverse("set_language")}"' in html
    for code in ("en", "fr", "ar"):
        assert f'name="language" value="{code}"' in html


@pytest.mark.parametrize(("header", "expected"), [("ar-EG,ar;q=0.9,en;q=0.5", "ar"), ("fr-CI,fr;q=0.9", "fr"),
                                                  ("de-DE,de;q=0.9", "en")])
def test_browser_preference_chooses_language(client, world, header, expected):
    page = visible(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=header).content.decode())
    assert page.html_lang == expected


def test_saved_preferred_language_applies_without_cookie_and_cookie_wins(client, world):
    participant = world["participant"]
    participant.preferred_language = "ar"
    participant.save(update_fields=["preferred_language"])
    client.force_login(world["users"]["participant"])
    assert visible(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()).html_lang == "ar"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert visible(client.get(reverse("home")).content.decode()).html_lang == "fr"


# --- e-mails in the recipient's language -----------------------------------------------------------------------
EMAIL_TEXTS = {
    "invitation": {
        "fr": ("Invitation\u202f: Conférence interrégionale", ["Nous avons le plaisir de vous inviter à participer", "juillet 2023",
                                                          "Accepter l'invitation"]),
        "ar": ("دعوة: المؤتمر الأقاليمي", ["يسرنا دعوتك إلى المشاركة", "يوليو 2023", "قبول الدعوة"]),
    },
    "approval": {
        "fr": ("Votre inscription est approuvée\u202f: Conférence interrégionale",
               ["Votre inscription à", "a été approuvée", "Voir votre inscription"]),
        "ar": ("تمت الموافقة على تسجيلك: المؤتمر الأقاليمي", ["تمت الموافقة على تسجيلك في", "عرض تسجيلك"]),
    },
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_invitation_email_in_invitee_language(world, language, django_capture_on_commit_callbacks, mailoutbox):
    mailoutbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        invitation_create(world["conference"], email=f"new-{language}@example.org", delegation=world["delegation"],
                          language=language, first_name="Amina", last_name="Haddad", inviter=world["users"]["staff"])
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    subject, phrases = EMAIL_TEXTS["invitation"][language]
    assert message.subject == subject
    assert message.extra_headers["Content-Language"] == language
    html = message.alternatives[0][0]
    assert f'lang="{language}"' in html and f'dir="{"rtl" if language == "ar" else "ltr"}"' in html
    for phrase in phrases:
        assert phrase in html, phrase
    assert phrases[0] in message.body and phrases[1] in message.body
    assert "You are invited" not in message.body and "Accept the invitation" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_approval_email_in_participant_language(world, language, django_capture_on_commit_callbacks, mailoutbox):
    participant = ParticipantFactory(conference=world["conference"], delegation=world["delegation"],
                                     status=ParticipantStatus.SUBMITTED, preferred_language=language,
                                     email=f"approve-{language}@example.org")
    mailoutbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        participant_approve(participant, actor=world["users"]["staff"])
    assert [m.to for m in mailoutbox] == [[participant.email]]
    message = mailoutbox[0]
    subject, phrases = EMAIL_TEXTS["approval"][language]
    assert message.subject == subject
    html = message.alternatives[0][0]
    for phrase in phrases:
        assert phrase in message.body and phrase in html, phrase
    assert "has been approved" not in message.body


# --- dates, times and numbers ----------------------------------------------------------------------------------
def test_french_page_shows_french_months_and_24_hour_times(client, world):
    html = get_page(client, world, None, lambda w: reverse("home"), "fr")
    assert "juillet" in html and "July" not in html
    day = get_page(client, world, None, lambda w: reverse("sessions_app:day", args=["2023-07-10"]), "fr")
    assert "09:00" in day and "10:00" in day  # 06:00 UTC is 09:00 in Cairo (summer time)
    assert " AM" not in day and " PM" not in day and "a.m." not in day


def test_arabic_page_shows_arabic_months(client, world):
    html = get_page(client, world, None, lambda w: reverse("home"), "ar")
    assert "يوليو" in html and "July" not in html
    session = get_page(client, world, "participant",
                       lambda w: reverse("sessions_app:session", args=[w["session"].pk]), "ar")
    assert "يوليو" in session or "الاثنين" in session
    assert "09:00" in session


# --- multilingual content --------------------------------------------------------------------------------------
def test_multilingual_content_falls_back_to_english(client, world):
    conference, room, session = world["conference"], world["room"], world["session"]
    conference.name_ar = ""
    conference.save(update_fields=["name_ar"])
    room.name_fr = ""
    room.save(update_fields=["name_fr"])
    session.title_ar = ""
    session.save(update_fields=["title_ar"])
    assert localized(conference, "name", "ar") == "Inter-regional Conference on Trafficking"
    assert localized(conference, "name", "fr") == "Conférence interrégionale"
    assert localized(room, "name", "fr") == "Hall A"
    assert localized(session, "title", "ar") == "Opening ceremony"
    home_ar = get_page(client, world, None, lambda w: reverse("home"), "ar")
    assert "Inter-regional Conference on Trafficking" in home_ar
    day_fr = unescape(get_page(client, world, None, lambda w: reverse("sessions_app:day", args=["2023-07-10"]),
                               "fr"))
    assert "Hall A" in day_fr and "Cérémonie d'ouverture" in day_fr
    day_ar = get_page(client, world, None, lambda w: reverse("sessions_app:day", args=["2023-07-10"]), "ar")
    assert "Opening ceremony" in day_ar and "القاعة أ" in day_ar


# --- right to left ---------------------------------------------------------------------------------------------
PHYSICAL = re.compile(
    r"(?:margin|padding|border)-(?:left|right)\b|text-align\s*:\s*(?:left|right)\b|float\s*:\s*(?:left|right)\b"
    r"|(?<![-\w])(?:left|right)\s*:"
)


def test_stylesheets_and_templates_use_logical_properties():
    offenders = []
    # Badges are physical cards (QR code and crop marks at fixed places), so badge.css keeps physical sides.
    paths = [p for p in (BASE / "static").rglob("*.css") if "vendor" not in p.parts and p.name != "badge.css"]
    paths += [p for p in (BASE / "templates").rglob("*.html") if "pdf" not in p.parts and "email" not in p.parts]
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PHYSICAL.search(line):
                offenders.append(f"{path.relative_to(BASE)}:{number}: {line.strip()}")
    assert offenders == []


def test_templates_isolate_left_to_right_text_inline():
    """dir="ltr" on a cell or a block would pull it to the left edge of an Arabic page: isolate inline instead."""
    block = re.compile(r'<(td|th|dd|dt|p|div|li|section|h[1-6])\b[^>]*\sdir="ltr"')
    offenders = [
        f"{path.relative_to(BASE)}:{number}"
        for path in (BASE / "templates").rglob("*.html") if "pdf" not in path.parts and "email" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if block.search(line)
    ]
    assert offenders == []


def test_arabic_page_isolates_latin_names(client, world):
    html = get_page(client, world, "staff", lambda w: reverse("registration:desk_participant",
                                                              args=[w["participant"].public_id]), "ar")
    assert re.search(r"<bdi[^>]*>[^<]*Leïla", html), "names in Latin script are isolated with <bdi>"
    session = get_page(client, world, None, lambda w: reverse("sessions_app:day", args=["2023-07-10"]), "ar")
    assert re.search(r"<bdi[^>]*>[^<]*(Leïla|Ben Ali)", session)
    form = get_page(client, world, "invited", lambda w: reverse("registration:register_step", kwargs={"step": 1}),
                    "ar")
    for name in ("first_name", "last_name", "badge_name"):
        assert re.search(rf'<input(?=[^>]*name="{name}")(?=[^>]*dir="auto")[^>]*>', form), name


def test_admin_in_arabic_is_rtl(client, world):
    html = get_page(client, world, "staff", lambda w: reverse("admin:registration_participant_changelist"), "ar")
    assert 'dir="rtl"' in html
    assert "rtl.css" in html


# --- PDFs in the participant's language ------------------------------------------------------------------------
def test_badge_in_participant_language_reads_back_from_pdf(world):
    import io

    from pypdf import PdfReader

    from onsite.services.badges import badge_ensure, render_badges

    arabic = ParticipantFactory(conference=world["conference"], delegation=world["delegation"],
                                badge_name="Dr. Amina Haddad", badge_name_ar="أمينة حداد", preferred_language="ar",
                                status=ParticipantStatus.APPROVED)
    french = ParticipantFactory(conference=world["conference"], delegation=world["delegation"],
                                badge_name="Jean Dupont", preferred_language="fr", status=ParticipantStatus.APPROVED)
    for participant in (arabic, french):
        badge_ensure(participant)
    with translation.override("en"):
        content = render_badges([arabic, french])
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    assert "أمينة حداد" in texts[0].splitlines()
    assert "المؤتمر الأقاليمي" in texts[0] and "يوليو" in texts[0] and "تونس" in texts[0]
    assert "Conférence interrégionale" in texts[1] and "juillet" in texts[1] and "Tunisie" in texts[1]


def test_model_fields_have_translatable_names():
    """The admin shows model and field names: each of ours is marked for translation (else it stays English)."""
    from django.apps import apps
    from django.utils.functional import Promise

    # Internal columns never shown in a form or list: tokens, hashes, caches and bookkeeping counters.
    internal = {"token", "token_hash", "send_generation", "sent_generation", "cached_pdf", "cached_for",
                "participant_ids", "client_id", "target", "sent_generation"}
    untranslated = []
    for label in ("conference", "registration", "sessions_app"):
        for model in apps.get_app_config(label).get_models():
            if not isinstance(model._meta.verbose_name, Promise):
                untranslated.append(model.__name__)
            for field in model._meta.get_fields():
                if field.auto_created or not hasattr(field, "verbose_name") or field.name in internal:
                    continue
                if not isinstance(field.verbose_name, Promise):
                    untranslated.append(f"{model.__name__}.{field.name}")
    assert untranslated == []


@pytest.mark.parametrize(("language", "subject", "phrase"), [
    ("ar", "لديك مقعد: حفل الافتتاح", "شغر مقعد وانتقلت من قائمة الانتظار"),
    ("fr", "Vous avez une place\u202f: Cérémonie d'ouverture", "Une place s'est libérée"),
])
def test_waiting_list_promotion_email_in_participant_language(world, language, subject, phrase, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    from sessions_app import services

    session = world["session"]
    session.capacity = 1
    session.save(update_fields=["capacity"])
    first = ParticipantFactory(conference=world["conference"], preferred_language="en")
    waiting = ParticipantFactory(conference=world["conference"], preferred_language=language)
    seat = services.signup_create(session, participant=first)
    services.signup_create(session, participant=waiting)
    mailoutbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.signup_cancel(seat, actor=None)
    assert [m.to for m in mailoutbox] == [[waiting.email]]
    assert mailoutbox[0].subject == subject
    assert phrase in mailoutbox[0].body
