"""Staff pages of the stay: the logistics dashboard (charts with their tables), the caterer's meal counts (page
and CSV: counts only) and the needs list with names (organizers who may see participants only).

Each checks its permission where the data is fetched: a user without it gets 404, as for a page that does not
exist."""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from registration.exports import neutralize
from registration.views.staff import staff_required

from .selectors_dashboard import logistics_dashboard
from .selectors_meals import meal_counts, needs_list

#: Who sees the logistics pages: the Logistics group holds it (and organizers who hold every permission).
LOGISTICS_PERMISSION = "logistics.view_roombooking"
#: Who sees names with needs: those who may see participants.
NEEDS_PERMISSION = "registration.view_participant"


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise Http404


@require_GET
@staff_required
def dashboard(request, conference):
    _require(request.user, LOGISTICS_PERMISSION)
    data = logistics_dashboard(conference)
    movements = data["movements"]
    transfers = data["transfers"]
    context = {
        "conference": conference,
        "charts": data,
        "movement_rows": list(zip(movements["days"], movements["arrivals"], movements["departures"], strict=True)),
        "transfer_rows": list(zip(transfers["days"], transfers["landing"], transfers["seats"], strict=True)),
        "funded_rows": list(zip(data["funded"]["labels"], data["funded"]["counts"], strict=True)),
        "room_tables": [{"label": block["label"], "rows": list(zip(block["nights"], block["quota"], block["taken"],
                                                                    strict=True))} for block in data["rooms"]],
        "title": _("Logistics dashboard"),
    }
    return render(request, "logistics/dashboard.html", context)


def _meal_table(conference):
    rows = meal_counts(conference)
    needs = sorted({need for row in rows for need in row["needs"]})
    return rows, needs


@require_GET
@staff_required
def meals(request, conference):
    _require(request.user, LOGISTICS_PERMISSION)
    rows, needs = _meal_table(conference)
    table = [{"day": row["day"], "label": row["label"], "people": row["people"],
              "needs": [row["needs"].get(need, 0) for need in needs], "accessibility": row["accessibility"]}
             for row in rows]
    return render(request, "logistics/meals.html", {"conference": conference, "rows": table, "needs": needs,
                                                    "title": _("Meals for the caterer")})


@require_GET
@staff_required
def meals_csv(request, conference):
    _require(request.user, LOGISTICS_PERMISSION)
    rows, needs = _meal_table(conference)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Day"), _("Meal"), _("People")] + [neutralize(need) for need in needs]
                    + [_("With accessibility needs")])
    for row in rows:
        writer.writerow([row["day"].isoformat(), row["label"], row["people"]]
                        + [row["needs"].get(need, 0) for need in needs] + [row["accessibility"]])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meals.csv"'
    return response


@require_GET
@staff_required
def needs(request, conference):
    _require(request.user, LOGISTICS_PERMISSION)
    _require(request.user, NEEDS_PERMISSION)
    return render(request, "logistics/needs.html", {"conference": conference, "people": needs_list(conference),
                                                    "title": _("Dietary and accessibility needs")})
