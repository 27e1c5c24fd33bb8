"""Visa letter downloads: the participant's own, and any participant's for staff at the desk.

No app_name: conference/urls.py includes these patterns in the "registration" namespace, where their names (and
paths) have been since before logistics became its own app.
"""

from django.urls import path

from . import views as letter_views
from . import views_stay, views_travel

urlpatterns = [
    path("register/visa-letter/", letter_views.register_visa_letter, name="register_visa_letter"),
    path("desk/p/<str:public_id>/visa-letter/", letter_views.desk_visa_letter, name="desk_visa_letter"),
    path("logistics/travel/", views_travel.own_travel, name="logistics_own_travel"),
    path("delegation/<slug:code>/members/<str:public_id>/travel/", views_travel.member_travel,
         name="logistics_member_travel"),
    path("logistics/manifest/", views_travel.manifest_page, name="logistics_manifest"),
    path("logistics/import/", views_travel.itineraries_import, name="logistics_import"),
    path("logistics/runs/", views_travel.runs_page, name="logistics_runs"),
    path("logistics/airport/<int:run_id>/", views_travel.airport_run, name="logistics_airport_run"),
    path("logistics/airport/<int:run_id>/counts.json", views_travel.airport_run_counts,
         name="logistics_airport_run_counts"),
    path("logistics/dashboard/", views_stay.dashboard, name="logistics_dashboard"),
    path("logistics/meals/", views_stay.meals, name="logistics_meals"),
    path("logistics/meals.csv", views_stay.meals_csv, name="logistics_meals_csv"),
    path("logistics/needs/", views_stay.needs, name="logistics_needs"),
]
