from django.urls import path  # noqa: F401

from .views import desk as desk_views
from .views import invitations as invitation_views
from .views import letters as letter_views
from .views import portal as portal_views
from .views import register as register_views
from .views import requests as request_views

app_name = "registration"

urlpatterns: list = [
    path("invite/<str:token>/", invitation_views.invitation_landing, name="invitation"),
    # Focal-point portal
    path("delegation/", portal_views.delegation_list, name="delegations"),
    path("delegation/<slug:code>/", portal_views.delegation_detail, name="delegation"),
    path("delegation/<slug:code>/nominate/", portal_views.member_nominate, name="delegation_nominate"),
    path("delegation/<slug:code>/letter/", portal_views.letter_download, name="delegation_letter"),
    path("delegation/<slug:code>/letter/upload/", portal_views.letter_upload, name="delegation_letter_upload"),
    path("delegation/<slug:code>/members/<str:public_id>/substitute/", portal_views.member_substitute,
         name="delegation_substitute"),
    path("delegation/<slug:code>/members/<str:public_id>/decide/", portal_views.member_decide,
         name="delegation_decide"),
    # Self-registration and open requests
    path("register/", register_views.register_status, name="register"),
    path("register/status/", register_views.register_status, name="register_status"),
    path("register/step/<int:step>/", register_views.register_step, name="register_step"),
    path("register/submit/", register_views.register_submit, name="register_submit"),
    path("register/photo/", register_views.register_photo, name="register_photo"),
    path("register/visa-letter/", letter_views.register_visa_letter, name="register_visa_letter"),
    path("request/", request_views.open_request, name="open_request"),
    # On-site desk (staff): badges, check-in, arrivals
    path("desk/", desk_views.desk_home, name="desk"),
    path("desk/p/<str:public_id>/", desk_views.desk_participant, name="desk_participant"),
    path("desk/p/<str:public_id>/print/", desk_views.desk_print, name="desk_print"),
    path("desk/p/<str:public_id>/photo/", desk_views.desk_photo, name="desk_photo"),
    path("desk/p/<str:public_id>/visa-letter/", letter_views.desk_visa_letter, name="desk_visa_letter"),
    path("desk/scan/", desk_views.desk_scan, name="desk_scan"),
    path("desk/session/<int:session_id>/scan/", desk_views.desk_session_scan, name="desk_session_scan"),
    path("desk/batches/", desk_views.desk_batches, name="desk_batches"),
    path("desk/batches/<int:batch_id>/status/", desk_views.desk_batch_status, name="desk_batch_status"),
    path("desk/batches/<int:batch_id>/download/", desk_views.desk_batch_download, name="desk_batch_download"),
    path("desk/batches/<int:batch_id>/rerun/", desk_views.desk_batch_rerun, name="desk_batch_rerun"),
    path("desk/arrivals/", desk_views.desk_arrivals, name="desk_arrivals"),
    path("desk/arrivals.json", desk_views.desk_arrivals_json, name="desk_arrivals_json"),
]
