"""Bench the agenda PDF: render time per language, then serving the cached file through the Django test client.

    python bench/agenda.py [N]        (DATABASE_URL / CELERY_BROKER_URL as for the other bench scripts)

Seeds the demo conference (``seed_demo``) when the database has no programme yet.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

from bench.common import percentile, setup_django  # noqa: E402


def main(requests: int = 200) -> None:
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from sessions_app import selectors, services
    from sessions_app.models import Session
    from sessions_app.rendering import render_agenda

    conference = selectors.programme_conference()
    if conference is None or not Session.objects.filter(conference=conference).exists():
        call_command("seed_demo")
        conference = selectors.programme_conference()
    sessions = Session.objects.filter(conference=conference, is_public=True).count()
    print(f"conference {conference.slug}: {sessions} public sessions")

    started = time.perf_counter()
    render_agenda(conference, "en")
    print(f"first render (fonts loaded, cold caches): {time.perf_counter() - started:.2f} s")
    for language in services.AGENDA_LANGUAGES:
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            pdf = render_agenda(conference, language)
            timings.append(time.perf_counter() - started)
        print(f"render {language}: {min(timings):.2f} s best of 3 (median {sorted(timings)[1]:.2f} s), "
              f"{len(pdf) // 1024} KiB")
        services.agenda_file_refresh(conference, language, force=True)

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        client = Client()
        for language in services.AGENDA_LANGUAGES:
            url = f"/programme/agenda-{language}.pdf"
            latencies = []
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(url)
                body = b"".join(response.streaming_content)
                latencies.append(time.perf_counter() - started)
                assert response.status_code == 200 and body.startswith(b"%PDF"), response.status_code
            print(f"serve cached agenda-{language}.pdf x{requests}: p50 {percentile(latencies, .5) * 1000:.1f} ms, "
                  f"p95 {percentile(latencies, .95) * 1000:.1f} ms")
        for name, url in [
            ("day page", f"/programme/day/{conference.start_date.isoformat()}/"),
            ("public iCal", "/programme/ical/public.ics"),
        ]:
            latencies = []
            for _ in range(max(20, requests // 4)):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    latencies.append(time.perf_counter() - started)
                assert response.status_code == 200
            print(f"{name}: p50 {percentile(latencies, .5) * 1000:.1f} ms, p95 {percentile(latencies, .95) * 1000:.1f} ms, "
                  f"{len(queries)} queries")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
