"""The demo's French and Arabic wording brought up to date in a demo conference seeded by an earlier version, and
the conference's list of titles (honorifics) seeded with the defaults so organizers can edit it.

Rows are found by their English keys, as ``seed_demo`` finds them; only fields whose text differs from
``demo_data`` are written, so a second run writes nothing.
"""

from __future__ import annotations

from collections import Counter

from conference.models import Conference, Delegation, Partner
from conference.services import honorifics_seed_defaults
from demo import demo_data
from sessions_app.models import Room, Session


def _refresh(rows: dict, wanted: dict, fields: list[str], model) -> int:
    changed = []
    for key, values in wanted.items():
        row = rows.get(key)
        if row is None:
            continue
        differs = [name for name, value in zip(fields, values, strict=True) if getattr(row, name) != value]
        for name in differs:
            setattr(row, name, dict(zip(fields, values, strict=True))[name])
        if differs:
            changed.append(row)
    if changed:
        model.objects.bulk_update(changed, fields)
    return len(changed)


def demo_wording_refresh(conference: Conference) -> Counter:
    """Update the French and Arabic names, titles and descriptions of the demo's partners, delegations, rooms and
    sessions to ``demo_data``'s, and give the conference the default titles. Returns what changed, by kind."""
    done: Counter = Counter()
    partners = {(p.role, p.name): p for p in Partner.objects.filter(conference=conference)}
    done["partner names updated"] = _refresh(
        partners, {(role, name): (fr, ar) for role, name, fr, ar in demo_data.PARTNERS}, ["name_fr", "name_ar"], Partner
    )
    delegations = {d.code: d for d in Delegation.objects.filter(conference=conference)}
    done["delegation names updated"] = _refresh(
        delegations,
        {spec.code: (spec.organization_fr, spec.organization_ar) for spec in demo_data.delegation_specs()
         if spec.organization},
        ["organization_fr", "organization_ar"], Delegation,
    )
    rooms = {r.name: r for r in Room.objects.filter(conference=conference)}
    done["room names updated"] = _refresh(
        rooms, {name: (fr, ar) for name, fr, ar, *_rest in demo_data.ROOMS}, ["name_fr", "name_ar"], Room
    )
    sessions = {(s.title, s.starts_at): s for s in Session.objects.filter(conference=conference)}
    wanted = {}
    for day, start, end, _kind, _room, titles, descriptions, _capacity, _signup in demo_data.SESSIONS:
        descriptions = descriptions or ("", "", "")
        wanted[(titles[0], demo_data.session_times(day, start, end)[0])] = (
            titles[1], titles[2], descriptions[1], descriptions[2]
        )
    done["session texts updated"] = _refresh(
        sessions, wanted, ["title_fr", "title_ar", "description_fr", "description_ar"], Session
    )
    done["titles"] = len(honorifics_seed_defaults(conference))
    return done
