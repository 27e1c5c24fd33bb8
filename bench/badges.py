#!/usr/bin/env python
"""Badge rendering speed: the fast path (chunks in two processes, merged) against a naive one-PDF-per-badge render.

    python bench/badges.py            # 50, 200 and 500 badges
    python bench/badges.py --quick    # 10 and 20 badges (CI smoke test)

Uses fictitious, unsaved badge data (the pure renderer takes plain dicts), so no database is touched.
Targets (issue 5): 500 badges in at most 6 s on a 2-core machine, at least 5x the naive render.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import logging
import os
import random
import resource
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.utils import translation  # noqa: E402

from conference.models import Conference  # noqa: E402
from registration.enums import ParticipantCategory  # noqa: E402

# Badges are moving from the registration app to onsite: the model and its services where they are at run time.
Badge = next(model for model in apps.get_models() if model.__name__ == "Badge")
badges = importlib.import_module(f"{Badge._meta.app_label}.services.badges")

GIVEN = ["Amina", "Jean", "Fatima", "Carlos", "Olena", "Kwame", "Mei", "Youssef", "Ingrid", "Rahul", "Aïcha"]
FAMILY = ["Haddad", "Dupont", "El-Sayed", "Rodríguez Villanueva", "Kowalczyk", "Mensah", "Nakamura", "Ben Ali"]
ARABIC = ["أمينة حداد", "يوسف بن علي", "فاطمة السيد", "محمد عبد الله", ""]
COUNTRIES = ["eg", "fr", "ng", "jo", "ma", "de", "br", "in", "ua", "tn"]


def fictitious(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    conference = Conference(
        slug="bench", name="Inter-regional Conference on Trafficking in Persons and Smuggling of Migrants",
        name_ar="المؤتمر الأقاليمي بشأن الاتجار بالأشخاص وتهريب المهاجرين", short_name="Bench",
        start_date=datetime.date(2023, 7, 10), end_date=datetime.date(2023, 7, 13), city="Sharm El Sheikh",
        city_ar="شرم الشيخ",
    )
    categories = [value for value, _label in ParticipantCategory.choices]
    items = []
    for i in range(n):
        language = rng.choice(["en", "fr", "ar"])
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        name_ar = rng.choice(ARABIC)
        with translation.override(language):
            items.append({
                "format": "a6", "lang": language, "dir": "rtl" if language == "ar" else "ltr",
                "conference_name": conference.localized_name(language), "dates": badges._dates(conference),
                "city": conference.localized_city(language), "name": name,
                "name_class": badges._size_class(name, badges._NAME_SIZES), "name_ar": name_ar,
                "name_ar_class": badges._size_class(name_ar, badges._NAME_AR_SIZES),
                "delegation": f"Delegation {i % 40}", "flag": f"pdf/flags/{rng.choice(COUNTRIES)}.png",
                "category": categories[i % len(categories)],
                "category_label": str(ParticipantCategory(categories[i % len(categories)]).label),
                "code": badges.badge_code(Badge(token=badges.new_token())), "photo_path": "",
            })
    return items


def cpu_seconds() -> float:
    """CPU time of this process and its (finished) children: wall clock misleads on a busy machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sets (10 and 20) for a CI smoke test")
    args = parser.parse_args()
    logging.getLogger(badges.__name__).setLevel(logging.WARNING)  # keep the table readable
    sizes = [10, 20] if args.quick else [50, 200, 500]
    badges.render_badges(fictitious(3), processes=1)  # warm-up: fonts, templates, stylesheets
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'badges':>7} {'fast s':>7} {'badges/s':>9} {'cpu s':>6} {'naive s':>8} {'badges/s':>9} {'cpu s':>6}"
          f" {'ratio':>6} {'cpu ratio':>9}")
    for n in sizes:
        items = fictitious(n, seed=n)
        start, cpu = time.perf_counter(), cpu_seconds()
        content = badges.render_badges(items)
        fast, fast_cpu = time.perf_counter() - start, cpu_seconds() - cpu
        start, cpu = time.perf_counter(), cpu_seconds()
        naive_parts = badges.render_badges_naive(items)
        naive, naive_cpu = time.perf_counter() - start, cpu_seconds() - cpu
        assert content.startswith(b"%PDF") and len(naive_parts) == n
        print(f"{n:>7} {fast:>7.2f} {n / fast:>9.1f} {fast_cpu:>6.1f} {naive:>8.2f} {n / naive:>9.1f} {naive_cpu:>6.1f}"
              f" {naive / fast:>6.1f} {naive_cpu / fast_cpu:>9.1f}")
    print("ratio = naive time / fast time (wall clock); cpu s = CPU seconds of this process and its workers.")
    print("fast = one document per chunk of badges, chunks in 2 forked processes, merged with pypdf;")
    print("naive = one HTML().write_pdf() per badge with a new FontConfiguration and stylesheets, one process.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
