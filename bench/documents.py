#!/usr/bin/env python
"""Official documents' rendering time: the List of Participants (one PDF, protocol order included) and every
certificate of attendance (one PDF each, as the task renders them), for 300 and 1,000 participants.

    python bench/documents.py            # 300 and 1,000 participants
    python bench/documents.py --quick    # 30 participants (smoke test)

Uses fictitious, unsaved data through the pure renderers (``onsite.documents.rendering``), so no database is
touched. No target was set (issue 17): the figures are printed beside "target: none given".
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import random
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

import django  # noqa: E402

django.setup()

from conference.models import Conference  # noqa: E402
from onsite.documents import rendering  # noqa: E402
from onsite.documents.ordering import protocol_key  # noqa: E402

GIVEN = ["Amina", "Jean", "Fatima", "Carlos", "Olena", "Kwame", "Mei", "Youssef", "Ingrid", "Rahul", "Aïcha"]
FAMILY = ["Haddad", "Dupont", "El-Sayed", "Rodríguez Villanueva", "Kowalczyk", "Mensah", "Nakamura", "Ben Ali"]
ARABIC = ["أمينة حداد", "يوسف بن علي", "فاطمة السيد", "محمد عبد الله", "ليلى الأحمد"]
DELEGATIONS = {
    "en": ["Algeria", "Chad", "Egypt", "Iraq", "Libya", "Mali", "Morocco", "Niger", "Nigeria", "South Sudan",
           "Tunisia", "Côte d'Ivoire", "France", "Greece", "Italy", "Malta", "Spain", "Netherlands"],
    "fr": ["Algérie", "Tchad", "Égypte", "Irak", "Libye", "Mali", "Maroc", "Niger", "Nigeria", "Soudan du Sud",
           "Tunisie", "Côte d'Ivoire", "France", "Grèce", "Italie", "Malte", "Espagne", "Pays-Bas"],
    "ar": ["الجزائر", "تشاد", "مصر", "العراق", "ليبيا", "مالي", "المغرب", "النيجر", "نيجيريا", "جنوب السودان",
           "تونس", "ساحل العاج", "فرنسا", "اليونان", "إيطاليا", "مالطا", "إسبانيا", "هولندا"],
}
TITLES = {"en": ["Mr.", "Ms.", "Dr.", "Judge"], "fr": ["M.", "Mme", "Dr", "Mme la juge"],
          "ar": ["السيد", "السيدة", "د.", "القاضية"]}


def _conference() -> Conference:
    return Conference(
        slug="bench", name="Inter-regional Conference on Trafficking in Persons and Smuggling of Migrants",
        name_fr="Conférence interrégionale sur la traite des personnes et le trafic illicite de migrants",
        name_ar="المؤتمر الأقاليمي بشأن الاتجار بالأشخاص وتهريب المهاجرين", short_name="Bench",
        start_date=datetime.date(2023, 7, 10), end_date=datetime.date(2023, 7, 13), city="Sharm El Sheikh",
        city_fr="Charm el-Cheikh", city_ar="شرم الشيخ",
    )


def list_rows(n: int, language: str, seed: int = 7) -> list[dict]:
    """What ``selectors.participant_list_rows`` returns, for ``n`` fictitious people, sorted in protocol order."""
    rng = random.Random(seed)
    names = DELEGATIONS[language]
    groups: dict[int, dict] = {}
    for i in range(n):
        index = i % len(names)
        group = groups.setdefault(index, {"delegation": names[index], "kind": "member_state" if index < 12 else
                                          "eu_expert", "members": []})
        group["members"].append({
            "title": rng.choice(TITLES[language]),
            "name": rng.choice(ARABIC) if language == "ar" else f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            "position": "Public prosecutor", "organization": "Ministry of Justice",
            "email": f"person{i}@example.org" if rng.random() < 0.6 else "",
        })
    return sorted(groups.values(), key=lambda g: protocol_key(g["kind"], g["delegation"], language))


def certificates(conference: Conference, n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    days = [conference.start_date + datetime.timedelta(days=d) for d in range(4)]
    items = []
    for i in range(n):
        language = rng.choice(["en", "fr", "ar"])
        items.append({
            "conference": conference, "language": language, "title": rng.choice(TITLES[language]),
            "name": rng.choice(ARABIC) if language == "ar" else f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            "delegation": rng.choice(DELEGATIONS[language]),
            "days": days[: rng.randint(1, 4)], "code": f"BENCH{i:011d}",
            "verify_url": f"https://accord.example.org/certificates/verify/BENCH{i:011d}/",
        })
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="30 participants only")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    conference = _conference()
    sizes = [30] if args.quick else [300, 1000]
    # Warm-up: fonts and stylesheets load once per process (as in a worker).
    rendering.render_participant_list(conference, list_rows(5, "en"), language="en", edition="provisional",
                                      edition_date=datetime.date(2023, 7, 9))
    rendering.render_certificate(certificates(conference, 1)[0])
    print(f"{'participants':>12}  {'document':<34} {'seconds':>8}  {'per item':>9}  target")
    for n in sizes:
        for language in ("ar", "fr", "en"):
            started = time.perf_counter()
            content = rendering.render_participant_list(conference, list_rows(n, language), language=language,
                                                        edition="provisional", edition_date=datetime.date(2023, 7, 9))
            elapsed = time.perf_counter() - started
            print(f"{n:>12}  {'List of Participants (' + language + ', ' + str(len(content) // 1024) + ' KiB)':<34} "
                  f"{elapsed:>8.2f}  {'':>9}  none given", flush=True)
        items = certificates(conference, n)
        started = time.perf_counter()
        for item in items:
            rendering.render_certificate(item)
        elapsed = time.perf_counter() - started
        print(f"{n:>12}  {'all certificates (one PDF each)':<34} {elapsed:>8.2f}  {elapsed / n * 1000:>7.0f}ms  "
              f"none given", flush=True)


if __name__ == "__main__":
    main()
