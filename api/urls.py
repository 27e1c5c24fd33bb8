"""The API's addresses: ``/api/schema/`` (OpenAPI 3), ``/api/docs/`` (Swagger UI from our static files, its start
script served apart so the CSP needs no inline script), and the version 1 routes under ``/api/v1/``."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import errors, views_devices

app_name = "api"

v1 = [
    # --- devices: enrollment, scans, the offline list (api/views_devices.py) ---------------------------------
    path("devices/enroll/", views_devices.EnrollView.as_view(), name="device_enroll"),
    path("devices/me/", views_devices.DeviceMeView.as_view(), name="device_me"),
    path("devices/participants/", views_devices.OfflineListView.as_view(), name="device_participants"),
    path("devices/participants/<str:public_id>/photo/", views_devices.PhotoView.as_view(), name="device_photo"),
    path("scans/", views_devices.ScanView.as_view(), name="device_scan"),
    # --- integration: the read-only lists (api/urls_integration.py, owned by the integration work) -----------
    path("", include("api.urls_integration")),
    # -----------------------------------------------------------------------------------------------------------
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include(v1)),
    re_path(r"^.*$", errors.not_found),
]
