"""The on-site desk (staff): badges, check-in, door attendance, arrivals.

No app_name: conference/urls.py includes these patterns in the "registration" namespace, where their names (and
paths) have been since before the desk became its own app.
"""

from django.urls import path

from . import views as desk_views

urlpatterns = [
    path("desk/", desk_views.desk_home, name="desk"),
    path("desk/p/<str:public_id>/", desk_views.desk_participant, name="desk_participant"),
    path("desk/p/<str:public_id>/print/", desk_views.desk_print, name="desk_print"),
    path("desk/p/<str:public_id>/photo/", desk_views.desk_photo, name="desk_photo"),
    path("desk/scan/", desk_views.desk_scan, name="desk_scan"),
    path("desk/session/<int:session_id>/scan/", desk_views.desk_session_scan, name="desk_session_scan"),
    path("desk/batches/", desk_views.desk_batches, name="desk_batches"),
    path("desk/batches/<int:batch_id>/status/", desk_views.desk_batch_status, name="desk_batch_status"),
    path("desk/batches/<int:batch_id>/download/", desk_views.desk_batch_download, name="desk_batch_download"),
    path("desk/batches/<int:batch_id>/rerun/", desk_views.desk_batch_rerun, name="desk_batch_rerun"),
    path("desk/arrivals/", desk_views.desk_arrivals, name="desk_arrivals"),
    path("desk/arrivals.json", desk_views.desk_arrivals_json, name="desk_arrivals_json"),
]

# The certificates of attendance (onsite/documents/views.py): public verification, own and delegation downloads.
from .documents import views as documents_views  # noqa: E402

urlpatterns += [
    path("certificates/verify/<str:code>/", documents_views.certificate_verify, name="certificate_verify"),
    path("certificates/p/<str:public_id>/", documents_views.certificate_download, name="certificate_download"),
    path("portal/delegation/<int:delegation_id>/certificates.zip", documents_views.delegation_certificates_zip,
         name="delegation_certificates_zip"),
]
