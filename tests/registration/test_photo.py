"""Photo uploads: only JPEG and PNG that decode, within size and pixel limits, re-encoded without metadata."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from conference.models import AuditLog
from conference.services import AccordError
from registration.enums import ParticipantStatus
from registration.services.steps import photo_process
from tests.factories import ConferenceFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def jpeg_with_exif(size=(1600, 900)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x0131] = "Tracking software 1.0"  # Software
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"private comment")
    return out.getvalue()


def png_with_alpha(size=(300, 400)) -> bytes:
    image = Image.new("RGBA", size, (0, 128, 0, 128))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("P", (50, 50)).save(out, format="GIF")
    return out.getvalue()


EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nnewpath 0 0 moveto 10 10 lineto stroke\nshowpage\n"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_photo_jpeg_reencoded_without_exif_and_scaled():
    result = photo_process(jpeg_with_exif())
    image = Image.open(io.BytesIO(result))
    assert image.format == "JPEG"
    assert max(image.size) == 1200
    assert image.size == (1200, 675)
    assert dict(image.getexif()) == {}
    assert "comment" not in image.info and "exif" not in image.info
    assert b"SecretCamera" not in result and b"private comment" not in result
    assert b"Exif" not in result


def test_photo_png_with_transparency_becomes_jpeg():
    result = photo_process(png_with_alpha())
    image = Image.open(io.BytesIO(result))
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (300, 400))


@pytest.mark.parametrize(
    "data",
    [gif_bytes(), EPS, SVG, PDF, b"this is text with a .jpg name", b"\xff\xd8\xff\xe0 truncated jpeg"],
    ids=["gif", "eps", "svg", "pdf", "text", "truncated-jpeg"],
)
def test_photo_other_formats_refused(data):
    with pytest.raises(AccordError, match="JPEG or PNG"):
        photo_process(data)


def test_photo_too_large_refused(settings):
    settings.ACCORD_PHOTO_MAX_BYTES = 1000
    with pytest.raises(AccordError, match="too large"):
        photo_process(jpeg_with_exif())


def test_photo_too_many_pixels_refused_before_decoding(settings):
    settings.ACCORD_PHOTO_MAX_PIXELS = 100 * 100
    out = io.BytesIO()
    Image.new("L", (200, 200)).save(out, format="PNG")
    with pytest.raises(AccordError, match="too many pixels"):
        photo_process(out.getvalue())


@pytest.fixture
def participant(settings):
    conference = ConferenceFactory(slug="sharm2023")
    settings.ACCORD_DEFAULT_CONFERENCE = "sharm2023"
    user = UserFactory()
    return ParticipantFactory(
        conference=conference, user=user, email=user.email, status=ParticipantStatus.INVITED, form_step=1
    )


def post_photo(client, participant, name, data, content_type):
    client.force_login(participant.user)
    return client.post(
        reverse("registration:register_step", kwargs={"step": 2}),
        {"photo": SimpleUploadedFile(name, data, content_type=content_type)},
    )


def test_photo_step_stores_reencoded_jpeg(client, participant):
    response = post_photo(client, participant, "me.png", png_with_alpha(), "image/png")
    assert response.status_code == 302
    assert response["Location"] == reverse("registration:register_step", kwargs={"step": 3})
    participant.refresh_from_db()
    assert participant.form_step == 2
    assert participant.photo.name.startswith(f"photos/{participant.conference_id}/{participant.public_id}")
    with participant.photo.open("rb") as handle:
        assert Image.open(handle).format == "JPEG"
    assert AuditLog.objects.filter(action="participant.photo", object_id=str(participant.pk)).exists()
    # Served to its owner through a view.
    served = client.get(reverse("registration:register_photo"))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("me.gif", gif_bytes(), "image/gif"),
        ("me.eps", EPS, "application/postscript"),
        ("me.jpg", b"plain text pretending to be a JPEG", "image/jpeg"),
        ("me.svg", SVG, "image/svg+xml"),
    ],
)
def test_photo_step_refuses_and_saves_nothing(client, participant, name, data, content_type):
    response = post_photo(client, participant, name, data, content_type)
    assert response.status_code == 400
    assert "JPEG or PNG" in response.content.decode()
    participant.refresh_from_db()
    assert not participant.photo
    assert participant.form_step == 1
    assert not AuditLog.objects.filter(action="participant.photo").exists()


def test_photo_step_refuses_oversized_and_too_many_pixels(client, participant, settings):
    settings.ACCORD_PHOTO_MAX_PIXELS = 1000 * 800
    response = post_photo(client, participant, "big.jpg", jpeg_with_exif((1600, 900)), "image/jpeg")
    assert response.status_code == 400
    data = png_with_alpha((20, 20))
    settings.ACCORD_PHOTO_MAX_BYTES = len(data) - 1
    response = post_photo(client, participant, "small.png", data, "image/png")
    assert response.status_code == 400
    participant.refresh_from_db()
    assert not participant.photo


def test_photo_replacement_deletes_old_file(client, participant, django_capture_on_commit_callbacks):
    post_photo(client, participant, "one.png", png_with_alpha(), "image/png")
    participant.refresh_from_db()
    first = participant.photo.name
    storage = participant.photo.storage
    with django_capture_on_commit_callbacks(execute=True):
        post_photo(client, participant, "two.jpg", jpeg_with_exif(), "image/jpeg")
    participant.refresh_from_db()
    assert participant.photo.name != first
    assert storage.exists(participant.photo.name)
    assert not storage.exists(first)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("me.eps", EPS, "application/postscript"),
        ("me.gif", gif_bytes(), "image/gif"),
        ("me.png", png_with_alpha(), "image/png"),
        ("me.jpg", jpeg_with_exif(), "image/jpeg"),
    ],
)
def test_photo_step_never_consults_a_decoder_but_jpeg_and_png(client, participant, monkeypatch, name, data,
                                                             content_type):
    """Pillow is asked only about JPEG and PNG: the EPS (Ghostscript), GIF, ... plugins never see an upload.

    Checked through Pillow's public plugin registry, not by the later format check: every other registered
    plugin's "is this mine?" test and opener is wrapped to record that it was consulted, then does its job.
    """
    Image.init()
    consulted = []

    def spying(format_id, factory, accept):
        def spy_accept(prefix):
            consulted.append(format_id)
            return accept(prefix) if accept else True

        def spy_factory(*args, **kwargs):
            consulted.append(format_id)
            return factory(*args, **kwargs)

        return spy_factory, spy_accept

    for format_id, (factory, accept) in list(Image.OPEN.items()):
        if format_id not in ("JPEG", "PNG"):
            monkeypatch.setitem(Image.OPEN, format_id, spying(format_id, factory, accept))
    assert "EPS" in Image.OPEN

    post_photo(client, participant, name, data, content_type)
    assert consulted == []
