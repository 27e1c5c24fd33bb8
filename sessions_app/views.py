"""The programme's pages: public agenda by day and session, sign-ups, personal agenda, iCal feeds, agenda PDF."""

from __future__ import annotations

import datetime
import hashlib
from itertools import groupby

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conference import languages
from conference.services import AccordError
from registration.selectors import own_participant

from . import selectors, services
from .extensions import personal_agenda_items
from .forms import AgendaFilterForm
from .ical import build_calendar
from .models import AgendaFile, Session, SessionSignup
from .tasks import render_agenda_task


def _language() -> str:
    return (translation.get_language() or "en")[:2]


def _conference_or_404():
    conference = selectors.programme_conference()
    if conference is None:
        raise Http404
    return conference


def _parse_day(conference, value: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise Http404 from error
    if not conference.start_date <= day <= conference.end_date:
        raise Http404
    return day


@require_GET
def programme_index(request: HttpRequest) -> HttpResponse:
    conference = _conference_or_404()
    today = timezone.localtime(timezone.now(), conference.tz).date()
    day = today if conference.start_date <= today <= conference.end_date else conference.start_date
    return redirect("sessions_app:day", day=day.isoformat())


# Rendered programme fragments live this long; their keys carry the programme fingerprint, so an edit to a
# session, room, role, named person or the conference changes the key and shows on the next request.
PROGRAMME_CACHE_SECONDS = 600


def _programme_cache_key(kind: str, conference, language: str, fingerprint: str, *parts) -> str:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    return f"programme:{kind}:{conference.pk}:{language}:{fingerprint[:32]}:{digest}"


def _day_content(request: HttpRequest, conference, the_day: datetime.date, language: str) -> str:
    """The day page's main content: the filter form, the downloads and the sessions (no CSRF token, nothing of
    the user but whether they are logged in)."""
    rooms = selectors.conference_rooms(conference)
    form = AgendaFilterForm(request.GET or None, rooms=rooms, language=language)
    filters = form.cleaned_data if form.is_valid() else {}
    sessions = selectors.day_sessions(
        conference,
        the_day,
        kind=filters.get("kind") or None,
        room_id=filters.get("room"),
        language=filters.get("lang") or None,
    )
    cards = [selectors.session_card(session, language) for session in sessions]
    slots = [(starts_at, list(group)) for starts_at, group in groupby(cards, key=lambda card: card.starts_at)]
    query = request.GET.urlencode() if form.is_valid() else ""
    return render_to_string(
        "sessions_app/_day_content.html",
        {
            "conference": conference,
            "day": the_day,
            "days": selectors.conference_days(conference),
            "slots": slots,
            "form": form,
            "query": query,
            "tz": conference.tz,
            "session_count": len(cards),
        },
        request=request,
    )


def _day_cache_parts(request: HttpRequest) -> tuple | None:
    """What the cached day content depends on besides the conference, day, language and programme: the filters
    (only the known ones, so that made-up query strings cannot fill the cache) and being logged in; None for
    anything the filter form would not take as it is (rendered, never cached)."""
    allowed = {"kind", "room", "lang"}
    if any(key not in allowed or len(request.GET.getlist(key)) > 1 for key in request.GET):
        return None
    values = tuple(request.GET.get(key, "") for key in sorted(allowed))
    if any(len(value) > 40 for value in values):
        return None
    return (*values, bool(request.GET), request.user.is_authenticated)


@require_GET
def programme_day(request: HttpRequest, day: str) -> HttpResponse:
    conference = _conference_or_404()
    the_day = _parse_day(conference, day)
    language = _language()
    parts = _day_cache_parts(request)
    if parts is None:
        content = _day_content(request, conference, the_day, language)
    else:
        fingerprint = selectors.cached_programme_fingerprint(conference, language)
        key = _programme_cache_key("day", conference, language, fingerprint, the_day.isoformat(), parts)
        content = cache.get(key)
        if content is None:
            content = _day_content(request, conference, the_day, language)
            cache.set(key, content, PROGRAMME_CACHE_SECONDS)
    # The fragment is our own template's autoescaped output (cached), not user input.
    context = {"conference": conference, "day": the_day, "content": mark_safe(content)}  # nosec B308 B703
    return render(request, "sessions_app/day.html", context)


@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference_or_404()
    session = selectors.public_session(conference, pk)
    participant = own_participant(request.user, conference)
    signup = None
    position = None
    if participant is not None:
        signup = next(
            (s for s in selectors.signups_with_position(participant) if s.session_id == session.pk), None
        )
        position = signup.position if signup else None
    return render(
        request,
        "sessions_app/session.html",
        {
            "conference": conference,
            "card": selectors.session_card(session, _language()),
            "session": session,
            "participant": participant,
            "signup": signup,
            "position": position,
            "seats": selectors.session_seat_counts(session) if session.signup_required else None,
            "tz": conference.tz,
            "day": timezone.localtime(session.starts_at, conference.tz).date(),
        },
    )


def _participant_or_message(request: HttpRequest, conference):
    participant = own_participant(request.user, conference)
    if participant is None:
        messages.error(request, _("You are not registered for this conference."))
    return participant


@login_required
@require_POST
def session_signup(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference_or_404()
    session = selectors.public_session(conference, pk)
    participant = _participant_or_message(request, conference)
    if participant is not None:
        try:
            signup = services.signup_create(session, participant=participant, actor=request.user)
        except AccordError as error:
            messages.error(request, str(error))
        else:
            if signup.status == "confirmed":
                messages.success(request, _("You are signed up for this session."))
            else:
                messages.info(request, _("The session is full: you are on the waiting list and will be e-mailed "
                                         "if a seat frees up."))
    return redirect("sessions_app:session", pk=session.pk)


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _conference_or_404()
    session = selectors.public_session(conference, pk)
    participant = _participant_or_message(request, conference)
    if participant is not None:
        signup = SessionSignup.objects.filter(session=session, participant=participant).first()
        if signup is None:
            messages.error(request, _("You are not signed up for this session."))
        else:
            try:
                services.signup_cancel(signup, actor=request.user)
            except AccordError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your sign-up has been cancelled."))
    target = request.POST.get("next")
    if target == "me":
        return redirect("sessions_app:me")
    return redirect("sessions_app:session", pk=session.pk)


def _personal_context(participant) -> dict:
    signups = selectors.signups_with_position(participant)
    roles = selectors.participant_roles(participant)
    language = _language()
    return {
        "participant": participant,
        "programme": selectors.personal_programme(participant, signups, roles, language),
        "signups": [(signup, signup.session.localized_title(language)) for signup in signups],
        "roles": [(role, role.session.localized_title(language)) for role in roles],
        "other_items": personal_agenda_items(participant, language),
        "has_feed": hasattr(participant, "ical_feed"),
        "tz": participant.conference.tz,
        "conference": participant.conference,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_agenda(request: HttpRequest) -> HttpResponse:
    conference = _conference_or_404()
    participant = own_participant(request.user, conference)
    if participant is None:
        return render(request, "sessions_app/me.html", {"participant": None, "conference": conference}, status=404)
    feed_url = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "rotate":
            token = services.feed_rotate(participant, actor=request.user)
            feed_url = request.build_absolute_uri(reverse("sessions_app:ical_personal", args=[token]))
            messages.success(request, _("Your private calendar link is ready. Copy it now: it is shown only once."))
        elif action == "revoke":
            services.feed_revoke(participant, actor=request.user)
            messages.success(request, _("Your private calendar link no longer works."))
            return redirect("sessions_app:me")
        else:
            return redirect("sessions_app:me")
        participant = own_participant(request.user, conference)
    context = _personal_context(participant)
    context["feed_url"] = feed_url
    return render(request, "sessions_app/me.html", context)


def _ical_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _feed_language(request: HttpRequest, default: str) -> str:
    requested = request.GET.get("lang", "")
    return requested if languages.is_known(requested) else default


@require_GET
def ical_public(request: HttpRequest) -> HttpResponse:
    conference = _conference_or_404()
    language = _feed_language(request, _language())
    key = _programme_cache_key("ical", conference, language, selectors.cached_programme_fingerprint(conference, language))
    body = cache.get(key)
    if body is None:
        cards = [selectors.session_card(s, language) for s in selectors.programme_sessions(conference)]
        body = build_calendar(cards, conference=conference, language=language, name=conference.localized_name(language))
        cache.set(key, body, PROGRAMME_CACHE_SECONDS)
    return _ical_response(body, f"{conference.slug}.ics")


@never_cache
@require_GET
def ical_personal(request: HttpRequest, token: str) -> HttpResponse:
    feed = selectors.feed_for_token(token)
    participant = feed.participant
    conference = participant.conference
    language = _feed_language(request, participant.preferred_language or "en")
    signups = selectors.signups_with_position(participant)
    role_session_ids = {role.session_id for role in selectors.participant_roles(participant)}
    tentative = {s.session_id for s in signups if s.status == "waitlisted"} - role_session_ids
    ids = {s.session_id for s in signups} | role_session_ids
    sessions = selectors.programme_sessions(conference, public_only=False).filter(pk__in=ids)
    cards = [selectors.session_card(s, language) for s in sessions]
    with translation.override(language):
        name = _("%(conference)s — my agenda") % {"conference": conference.localized_name(language)}
    body = build_calendar(cards, conference=conference, language=language, name=name, tentative=tentative,
                          extra=personal_agenda_items(participant, language))
    return _ical_response(body, "my-agenda.ics")


def _queue_agenda_refresh(conference, language: str) -> None:
    """Queue one language's re-render, at most once per two minutes (many readers may find the file stale)."""
    if cache.add(f"agenda-refresh:{conference.pk}:{language}", 1, timeout=120):
        render_agenda_task.delay_on_commit(conference_id=conference.pk, language=language)


@require_GET
def agenda_pdf(request: HttpRequest, language: str) -> HttpResponse:
    """The stored agenda PDF, never rendered here: a stale file is served while a fresh one is queued."""
    conference = _conference_or_404()
    if not languages.is_known(language):
        raise Http404
    agenda_file = AgendaFile.objects.filter(conference=conference, language=language).first()
    if agenda_file is not None and agenda_file.file:
        if agenda_file.fingerprint != selectors.cached_programme_fingerprint(conference, language):
            _queue_agenda_refresh(conference, language)
        try:
            handle = agenda_file.file.open("rb")
        except FileNotFoundError:
            handle = None
        if handle is not None:
            response = FileResponse(
                handle,
                content_type="application/pdf",
                as_attachment=True,
                filename=f"agenda-{conference.slug}-{language}.pdf",
            )
            response["Cache-Control"] = "no-cache"
            return response
    _queue_agenda_refresh(conference, language)
    response = render(
        request, "sessions_app/agenda_pending.html", {"conference": conference, "language": language}, status=503
    )
    response["Retry-After"] = "30"
    return response


@staff_member_required
@require_GET
def day_grid(request: HttpRequest, day: str) -> HttpResponse:
    """Organizers' grid of one day: a column per room, a row per quarter hour (three queries)."""
    conference = _conference_or_404()
    the_day = _parse_day(conference, day)
    tz = conference.tz
    rooms = selectors.conference_rooms(conference)
    start, end = selectors.day_bounds(conference, the_day)
    sessions = list(
        Session.objects.filter(conference=conference, starts_at__gte=start, starts_at__lt=end)
        .select_related("room")
        .order_by("starts_at", "id")
    )
    columns = {room.pk: index + 2 for index, room in enumerate(rooms)}
    unassigned_column = len(rooms) + 2
    slot = datetime.timedelta(minutes=15)
    if sessions:
        first = timezone.localtime(min(s.starts_at for s in sessions), tz).replace(minute=0, second=0, microsecond=0)
        last = max(s.ends_at for s in sessions)
    else:
        first = timezone.localtime(start, tz).replace(hour=8)
        last = first + datetime.timedelta(hours=10)
    rows = []
    moment = first
    while moment < last:
        rows.append(timezone.localtime(moment, tz))
        moment += slot
    language = _language()
    placed = []
    for session in sessions:
        row_start = int((session.starts_at - first) / slot) + 2
        row_end = max(row_start + 1, int(-(-(session.ends_at - first) // slot)) + 2)
        placed.append(
            {
                "session": session,
                "title": session.localized_title(language),
                "column": columns.get(session.room_id, unassigned_column),
                "row_start": row_start,
                "row_end": row_end,
            }
        )
    return render(
        request,
        "sessions_app/grid.html",
        {
            "conference": conference,
            "day": the_day,
            "days": selectors.conference_days(conference),
            "rooms": rooms,
            "has_unassigned": any(s.room_id is None for s in sessions),
            "rows": [(index + 2, moment) for index, moment in enumerate(rows)],
            "placed": placed,
            "column_count": len(rooms) + 1 + (1 if any(s.room_id is None for s in sessions) else 0),
            "tz": tz,
        },
    )
