"""A request for a host name the registry does not serve: refused, logged in one line."""

import logging

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_host_is_refused_and_logged_in_one_line(client, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.get("/admin/login/", HTTP_HOST="scanner.invalid")

    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(records) == 1
    # One line: the message names the host, and no traceback rides along with it.
    formatted = logging.Formatter().format(records[0])
    assert "scanner.invalid" in formatted
    assert "\n" not in formatted
    assert "Traceback" not in caplog.text
