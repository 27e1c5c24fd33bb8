from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors
from .health import check_broker, check_database


def _first_url(*names: str, default: str) -> str:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return default


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    conference = selectors.current_conference()
    partners = list(conference.partners.all()) if conference else []
    context = {
        "conference": conference,
        "hosts": [p for p in partners if p.role == "host"],
        "funders": [p for p in partners if p.role == "funder"],
        "other_partners": [p for p in partners if p.role not in {"host", "funder"}],
        "register_url": _first_url("registration:register", "account_signup", default="/accounts/signup/"),
        "request_url": _first_url("registration:open_request", default=""),
        "agenda_url": _first_url("sessions_app:index", default="/programme/"),
        "login_url": _first_url("account_login", default="/accounts/login/"),
    }
    return render(request, "conference/home.html", context)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on every page (the admin's included): the icon among the static files,
    instead of a 404 in the console."""
    return redirect(static("favicon.svg"))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    db_ok, db_detail = check_database()
    broker_ok, broker_detail = check_broker()
    ok = db_ok and broker_ok
    body = {
        "status": "ok" if ok else "error",
        "database": {"ok": db_ok, "detail": db_detail},
        "broker": {"ok": broker_ok, "detail": broker_detail},
    }
    return JsonResponse(body, status=200 if ok else 503)
