"""Scale bench: a year of meetings in one deployment, against gunicorn on PostgreSQL and Redis.

    python bench/scale.py [--conferences 200] [--participants 500] [--requests 60] [--quick]

Builds ``--conferences`` conferences of ``--participants`` participants each (default 200 × 500 = 100,000
participants, with their delegations, rooms, sessions, sign-ups, badges and check-ins) with bulk inserts into the
bench database (``DATABASE_URL``), and one conference the same way into a second database (its name + ``_one``).
Both are kept and reused: only the conferences missing are built. Then, for each database in turn, gunicorn
(production settings, 2 workers) serves it and a single client measures p50 and p95 of, each ``--requests`` times
after warm-up requests:

* the admin participant list of one conference with a filter (status) and with a name search as well;
* the organizers' dashboard of that conference; an export (CSV, the admin action on the filtered list);
* the desk search by name; a scan at the desk (the JSON API);
* the public day page of the programme; the focal-point portal of one delegation.

The query count of each page is read in a child process on the same database (Django's test client, the same
session cookie, ``CaptureQueriesContext``) after one warm-up request. Each figure is printed beside its target:
within 2× of the same page with one conference, the same query count, desk search p95 ≤ 50 ms, admin list p95
≤ 300 ms. Nothing is asserted.

``--quick`` (the smoke test): 3 conferences of 20 participants in ``DATABASE_URL`` alone, the one-conference
figures measured when only the first is loaded, a few requests.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import secrets
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

from bench.common import ROOT, bench_env, collect_static, gunicorn_server, percentile  # noqa: E402

SLUG_PREFIX = "year-"
TARGET_SLUG = "year-001"
DOMAIN = "scale.example.org"
DELEGATION_SIZE = 20
SESSIONS = 20
SIGNUPS_EACH = 3
TARGETS_MS = {"desk search": 50.0, "admin list (filter + search)": 300.0, "admin list (filter)": 300.0}
FIRST_NAMES = ["Aïcha", "Amina", "Ahmed", "Jean", "Hélène", "Omar", "Leïla", "Søren", "Fatima", "Youssef",
               "Élodie", "Karim", "Mariam", "Paulo", "Nadia", "Samir", "Zoé", "Ibrahim", "Chloé", "Hassan"]
LAST_NAMES = ["Haddad", "El-Sayed", "Dupont", "Ben Salah", "Nour", "Müller", "Khalil", "García", "Mansour",
              "Okafor", "Ferreira", "Zayed", "Lefèvre", "Rahman", "Aziz", "Novák", "Idris", "Costa", "Farah", "Bakr"]
ARABIC_NAMES = ["أحمد حداد", "إيمان نور", "عائشة خليل", "آمنة منصور", "مُحَمَّد زايد", "فاطمة عزيز", "يوسف فرح",
                "ليلى إدريس", "عمر بكر", "مريم رحمن"]


# --- the child: build, then the plan and the query counts (Django in this process) -----------------------------


def build(conferences: int, participants: int) -> None:
    """The conferences ``year-001`` … missing from the database, each with its people, in one transaction each."""
    from django.db import connection, transaction

    from conference.models import Conference, Delegation
    from onsite.models import Badge, CheckIn
    from onsite.services.badges import new_token
    from registration.models import Participant
    from registration.search import search_text
    from registration.services.participants import new_public_id
    from sessions_app.models import Room, Session, SessionSignup

    existing = set(Conference.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True))
    started, built = time.perf_counter(), 0
    now = datetime.datetime.now(datetime.UTC)
    for number in range(1, conferences + 1):
        slug = f"{SLUG_PREFIX}{number:03d}"
        if slug in existing:
            continue
        start = datetime.date(2027, 1, 4) + datetime.timedelta(days=(number * 7) % 360)
        with transaction.atomic():
            conference = Conference.objects.create(
                slug=slug, name=f"Regional meeting {number}", short_name=f"RM{number}", start_date=start,
                end_date=start + datetime.timedelta(days=2), time_zone="Africa/Cairo",
            )
            delegations = Delegation.objects.bulk_create(
                Delegation(conference=conference, code=f"d{number:03d}-{index:02d}", kind="member_state",
                           organization=f"Delegation {index} of meeting {number}", seat_quota=DELEGATION_SIZE)
                for index in range(max(1, participants // DELEGATION_SIZE))
            )
            rooms = Room.objects.bulk_create(Room(conference=conference, name=f"Room {i}", capacity=200)
                                             for i in range(4))
            opening = datetime.datetime.combine(start, datetime.time(7, 0), tzinfo=datetime.UTC)
            sessions = Session.objects.bulk_create(
                Session(conference=conference, kind="thematic", title=f"Session {i}", room=rooms[i % 4],
                        starts_at=opening + datetime.timedelta(days=i // 7, hours=i % 7),
                        ends_at=opening + datetime.timedelta(days=i // 7, hours=i % 7, minutes=50))
                for i in range(SESSIONS)
            )
            people = []
            for i in range(participants):
                first, last = FIRST_NAMES[i % len(FIRST_NAMES)], LAST_NAMES[(i // 3) % len(LAST_NAMES)]
                arabic = ARABIC_NAMES[i % len(ARABIC_NAMES)] if i % 2 else ""
                people.append(Participant(
                    conference=conference, delegation=delegations[i % len(delegations)], public_id=new_public_id(),
                    email=f"p{number:03d}-{i:04d}@{DOMAIN}", first_name=first, last_name=last,
                    badge_name=f"{first} {last}", badge_name_ar=arabic, status="approved" if i % 10 else "submitted",
                    category="delegate", submitted_at=now, decided_at=now if i % 10 else None, form_step=5,
                    search_name=search_text(f"{first} {last}", f"{first} {last}", arabic),
                    checked_in_at=now if i % 2 == 0 and i % 10 else None,
                ))
            people = Participant.objects.bulk_create(people, batch_size=1000)
            approved = [p for p in people if p.status == "approved"]
            Badge.objects.bulk_create((Badge(participant=p, token=new_token()) for p in approved), batch_size=1000)
            SessionSignup.objects.bulk_create(
                (SessionSignup(session=sessions[(index + k * 7) % SESSIONS], participant=p, status="confirmed")
                 for index, p in enumerate(people) for k in range(SIGNUPS_EACH)),
                batch_size=2000,
            )
            CheckIn.objects.bulk_create(
                (CheckIn(conference=conference, participant=p, client_id=uuid.uuid4().hex, result="ok",
                         scanned_at=now) for p in approved if p.checked_in_at),
                batch_size=1000,
            )
        built += 1
        if built % 20 == 0:
            print(f"  built {built} conferences ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    if built:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Participant.objects.filter(conference__slug__startswith=SLUG_PREFIX).count()
    print(f"  {built} conferences built in {time.perf_counter() - started:.1f} s; {total} participants in "
          f"{connection.settings_dict['NAME']}", file=sys.stderr, flush=True)


def plan() -> dict:
    """Staff and focal-point sessions (stored as the server reads them), the pages, each page's query count."""
    import importlib

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils.crypto import get_random_string

    from conference.models import Conference
    from onsite.models import Badge
    from onsite.services.badges import badge_code

    conference = Conference.objects.get(slug=TARGET_SLUG)
    users = get_user_model()
    staff, _ = users.objects.get_or_create(username=f"organizer@{DOMAIN}",
                                           defaults={"email": f"organizer@{DOMAIN}", "is_staff": True,
                                                     "is_superuser": True})
    focal, _ = users.objects.get_or_create(username=f"focal@{DOMAIN}", defaults={"email": f"focal@{DOMAIN}"})
    delegation = conference.delegations.order_by("code").first()
    delegation.focal_points.add(focal)

    def cookies(user) -> dict[str, str]:
        store = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return {"session": store.session_key, "csrf": get_random_string(32)}

    staff_cookies, focal_cookies = cookies(staff), cookies(focal)
    changelist = reverse("admin:registration_participant_changelist")
    filtered = f"{changelist}?" + urlencode({"conference__id__exact": conference.pk, "status__exact": "approved"})
    some = conference.participants.order_by("pk").values_list("pk", flat=True).first()
    code = badge_code(Badge.objects.filter(participant__conference=conference).order_by("pk").first())
    pages = {
        "admin list (filter)": {"path": filtered, "who": "staff"},
        "admin list (filter + search)": {"path": f"{filtered}&q=aicha", "who": "staff"},
        "dashboard": {"path": reverse("admin:registration_participant_dashboard", args=[conference.pk]),
                      "who": "staff"},
        "export (CSV)": {"path": f"{changelist}?conference__id__exact={conference.pk}", "who": "staff",
                         "form": {"action": "export_csv", "select_across": "1", "index": "0",
                                  "_selected_action": str(some)}},
        "desk search": {"path": f"{reverse('registration:desk')}?q=aicha", "who": "staff"},
        "scan": {"path": reverse("registration:desk_scan"), "who": "staff", "json": {"code": code}},
        "public day page": {"path": reverse("sessions_app:day", kwargs={"day": conference.start_date.isoformat()}),
                            "who": None},
        "focal-point portal": {"path": reverse("registration:delegation", args=[delegation.code]), "who": "focal"},
    }
    jar = {"staff": staff_cookies, "focal": focal_cookies}
    for page in pages.values():
        client = Client()
        if page["who"]:
            client.cookies["sessionid"] = jar[page["who"]]["session"]
            client.cookies["csrftoken"] = jar[page["who"]]["csrf"]
        counts = []
        for _attempt in range(2):  # the first warms the caches (current conference, programme, session)
            with CaptureQueriesContext(connection) as queries:
                response = _client_request(client, page)
            assert response.status_code == 200, (page, response.status_code)
            counts.append(len(queries))
        page["queries"] = counts[-1]
    return {"conference": conference.pk, "cookies": jar, "pages": pages}


def _client_request(client, page):
    if "form" in page:
        return client.post(page["path"], page["form"])
    if "json" in page:
        return client.post(page["path"], json.dumps({**page["json"], "client_id": uuid.uuid4().hex}),
                           content_type="application/json")
    return client.get(page["path"])


def child(conferences: int, participants: int) -> None:
    from bench.common import setup_django

    setup_django()
    build(conferences, participants)
    print("PLAN " + json.dumps(plan()), flush=True)


# --- the parent: gunicorn and the client --------------------------------------------------------------------------


def server_env(database_url: str) -> dict[str, str]:
    """What the child and gunicorn share: the database, its own cache prefix, the current conference, settings."""
    name = database_url.rsplit("/", 1)[1]
    return {
        "DATABASE_URL": database_url,
        "CACHE_KEY_PREFIX": f"scale-{name}-{uuid.uuid4().hex[:6]}",
        "ACCORD_DEFAULT_CONFERENCE": TARGET_SLUG,
        "ACCORD_REQUIRE_STAFF_MFA": "0",
        "DJANGO_DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "BEHIND_TLS_PROXY": "0",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),  # as gunicorn_server's: the manifest of its collectstatic
    }


def prepare(database_url: str, conferences: int, participants: int, extra: dict[str, str]) -> dict:
    env = {**bench_env(), **extra}
    collect_static(extra["STATIC_ROOT"], env)
    completed = subprocess.run(
        [sys.executable, __file__, "--child", "--conferences", str(conferences), "--participants", str(participants)],
        env=env, capture_output=True, text=True, check=False,
    )
    sys.stderr.write(completed.stderr)
    line = next((line for line in completed.stdout.splitlines() if line.startswith("PLAN ")), None)
    if completed.returncode != 0 or line is None:
        raise RuntimeError(f"preparing {database_url} failed:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}")
    return json.loads(line[5:])


def measure(server, prepared: dict, requests: int, warmup: int) -> dict[str, list[float]]:
    """Each page ``warmup`` + ``requests`` times from one kept-alive connection; the latencies (s) of the last."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    latencies: dict[str, list[float]] = {}
    try:
        for name, page in prepared["pages"].items():
            cookies = prepared["cookies"].get(page["who"]) if page["who"] else None
            headers = {"Host": "127.0.0.1"}
            if cookies:
                headers["Cookie"] = f"sessionid={cookies['session']}; csrftoken={cookies['csrf']}"
            values = []
            for attempt in range(warmup + requests):
                body = None
                method = "GET"
                if "form" in page:
                    method = "POST"
                    body = urlencode({**page["form"], "csrfmiddlewaretoken": cookies["csrf"]})
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                elif "json" in page:
                    method = "POST"
                    body = json.dumps({**page["json"], "client_id": uuid.uuid4().hex})
                    headers.update({"Content-Type": "application/json", "X-CSRFToken": cookies["csrf"]})
                started = time.perf_counter()
                connection.request(method, page["path"], body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                if response.status != 200:
                    raise RuntimeError(f"{name}: HTTP {response.status} for {page['path']}")
                if attempt >= warmup:
                    values.append(elapsed)
            latencies[name] = values
    finally:
        connection.close()
    return latencies


def run_database(label: str, database_url: str, conferences: int, participants: int, requests: int,
                 warmup: int) -> dict:
    extra = server_env(database_url)
    print(f"== {label}: {conferences} conference(s) × {participants} participants in {database_url}", flush=True)
    prepared = prepare(database_url, conferences, participants, extra)
    with gunicorn_server(workers=2, extra_env=extra) as server:
        latencies = measure(server, prepared, requests, warmup)
    return {name: {"p50": percentile(values, 0.5) * 1000, "p95": percentile(values, 0.95) * 1000,
                   "queries": prepared["pages"][name]["queries"]} for name, values in latencies.items()}


def report(one: dict, year: dict, conferences: int, participants: int) -> None:
    print(f"\nA year of meetings: {conferences} conferences × {participants} participants against one "
          "(p50 / p95 in ms, queries; target: each p95 within 2× of one conference, queries equal)")
    for name, figures in year.items():
        base = one[name]
        ratio = figures["p95"] / base["p95"] if base["p95"] else float("nan")
        absolute = TARGETS_MS.get(name)
        parts = [
            f"{name}: p50 {figures['p50']:.1f} / p95 {figures['p95']:.1f} ms (one conference {base['p50']:.1f} / "
            f"{base['p95']:.1f}); ratio {ratio:.2f}x, target <= 2x {'met' if ratio <= 2 else 'MISSED'}",
            f"queries {figures['queries']} (one conference {base['queries']}), target equal "
            f"{'met' if figures['queries'] == base['queries'] else 'MISSED'}",
        ]
        if absolute is not None:
            parts.append(f"p95 target <= {absolute:.0f} ms {'met' if figures['p95'] <= absolute else 'MISSED'}")
        print("  " + "; ".join(parts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conferences", type=int, default=200)
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.conferences, args.participants)
        return
    if args.quick:
        args.conferences, args.participants, args.requests, args.warmup = 3, 20, 3, 1
    # One secret for the children and the servers: the sessions and signed badge codes made there are valid here.
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    database_url = bench_env()["DATABASE_URL"]
    started = time.perf_counter()
    if args.quick:  # one database: one conference first, then the others loaded beside it
        one = run_database("one conference", database_url, 1, args.participants, args.requests, args.warmup)
    else:
        one = run_database("one conference", database_url + "_one", 1, args.participants, args.requests, args.warmup)
    year = run_database("a year of meetings", database_url, args.conferences, args.participants, args.requests,
                        args.warmup)
    report(one, year, args.conferences, args.participants)
    print(f"(bench run {time.perf_counter() - started:.0f} s; load {os.getloadavg()[0]:.2f} "
          f"{os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f})")


if __name__ == "__main__":
    main()
