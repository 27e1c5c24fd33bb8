"""The read-only integration API's routes (item 5 of issue 19), included under ``/api/v1/`` by ``api/urls.py``:
the lists of one conference, named by its code (views in ``api/integration/views.py``)."""

from django.urls import path

from .integration import views

urlpatterns = [
    path("conferences/<slug:code>/participants/", views.ParticipantList.as_view(), name="integration-participants"),
    path("conferences/<slug:code>/participants/<slug:public_id>/", views.ParticipantDetail.as_view(),
         name="integration-participant"),
    path("conferences/<slug:code>/delegations/", views.DelegationList.as_view(), name="integration-delegations"),
    path("conferences/<slug:code>/delegations/<slug:delegation_code>/", views.DelegationDetail.as_view(),
         name="integration-delegation"),
    path("conferences/<slug:code>/sessions/", views.SessionList.as_view(), name="integration-sessions"),
    path("conferences/<slug:code>/checkins/", views.CheckInList.as_view(), name="integration-checkins"),
]
