from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

# Django's admin login form checks the password alone: staff sign in through allauth's login instead (rate limits,
# the TOTP stage), and /admin/login/ only sends anonymous visitors there.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # One namespace, "registration", for the pages of the apps split out of registration: the URL names stay
    # "registration:desk", "registration:desk_visa_letter"... (templates, scripts and e-mails use them).
    path("", include(([path("", include("registration.urls")), path("", include("onsite.urls")),
                          path("", include("logistics.urls"))], "registration"))),
    path("programme/", include("sessions_app.urls")),
    path("cooperation/", include("cooperation.urls")),
    path("privacy/", include("privacy.urls")),
    path("api/", include("api.urls")),
]
# Uploaded files (photos, nomination letters, visa letters, badge PDFs) are personal data: they are never served
# from MEDIA_URL, not even in DEBUG, only through views that check who is asking.
