"""The API's frame: the schema and the docs are served, unknown addresses and errors answer in the one JSON
shape, tokens are stored as digests."""

from __future__ import annotations

import json
import re

import pytest

from api import tokens

pytestmark = pytest.mark.django_db


def test_schema_is_served_as_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Accord API"


def test_docs_load_swagger_from_our_static_files_without_inline_script(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert [body.strip() for _attrs, body in scripts] == ["", "", ""]
    sources = [re.search(r'src="([^"]+)"', attrs).group(1) for attrs, _body in scripts]
    assert sources[0] == "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    assert sources[2].startswith("/api/docs/?") and "script=" in sources[2]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    start = client.get(sources[2].replace("&amp;", "&"))
    assert start.status_code == 200
    assert start.headers["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in start.content.decode()


def test_unknown_api_address_answers_the_error_shape(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


def test_new_token_keeps_a_prefix_and_a_digest_only():
    made = tokens.new_token("dev")
    assert made.token.startswith("dev_") and len(made.token) == 4 + 43
    assert made.prefix == made.token[: tokens.PREFIX_LENGTH]
    assert made.digest == tokens.hash_token(made.token) and made.token not in made.digest
    assert tokens.token_matches(made.token, made.digest)
    assert not tokens.token_matches(made.token[:-1] + ("A" if made.token[-1] != "A" else "B"), made.digest)
    assert tokens.new_token("dev").token != made.token
    with pytest.raises(ValueError):
        tokens.new_token("DEVICE")
