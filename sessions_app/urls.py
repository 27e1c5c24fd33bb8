from django.urls import path, re_path

from . import views

app_name = "sessions_app"

urlpatterns: list = [
    path("", views.programme_index, name="index"),
    re_path(r"^day/(?P<day>\d{4}-\d{2}-\d{2})/$", views.programme_day, name="day"),
    path("session/<int:pk>/", views.session_detail, name="session"),
    path("session/<int:pk>/signup/", views.session_signup, name="signup"),
    path("session/<int:pk>/cancel/", views.session_cancel, name="cancel"),
    path("me/", views.my_agenda, name="me"),
    path("ical/public.ics", views.ical_public, name="ical_public"),
    re_path(r"^ical/(?P<token>[A-Za-z0-9_-]{20,128})\.ics$", views.ical_personal, name="ical_personal"),
    re_path(r"^agenda-(?P<language>[a-z]{2})\.pdf$", views.agenda_pdf, name="agenda_pdf"),
    re_path(r"^grid/(?P<day>\d{4}-\d{2}-\d{2})/$", views.day_grid, name="grid"),
]
