from django.urls import path, re_path

from . import views

app_name = "cooperation"

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/me/", views.directory_me, name="directory_me"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_request, name="meeting_request"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/answer/", views.meeting_answer, name="meeting_answer"),
    path("grid/", views.meeting_grid, name="grid"),
    re_path(r"^grid/(?P<day>\d{4}-\d{2}-\d{2})/$", views.meeting_grid, name="grid_day"),
]
