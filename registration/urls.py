from django.urls import path  # noqa: F401

from .views import home as home_views
from .views import invitations as invitation_views
from .views import portal as portal_views
from .views import register as register_views
from .views import requests as request_views

# No app_name here: conference/urls.py includes these patterns, and those of onsite and logistics, under the one
# namespace "registration" (the URL names the templates, the scripts and the e-mails use since before the split).

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
    path("me/", home_views.my_home, name="my_home"),
    path("register/", register_views.register_status, name="register"),
    path("register/status/", register_views.register_status, name="register_status"),
    path("register/step/<int:step>/", register_views.register_step, name="register_step"),
    path("register/submit/", register_views.register_submit, name="register_submit"),
    path("register/photo/", register_views.register_photo, name="register_photo"),
    path("request/", request_views.open_request, name="open_request"),
]
