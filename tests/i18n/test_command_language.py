"""Issue 15: management commands write for people in the agency's language
(REGISTRY_LANGUAGE_CODE, the settings' LANGUAGE_CODE; English unless set), as cron and the
shell run them: in their own process."""

import os
import subprocess
import sys

import pytest

from tests.ingest.conftest import PROJECT, shared_database_url

pytestmark = pytest.mark.django_db


def command(*args, language=None):
    env = {**os.environ, "DATABASE_URL": shared_database_url()}
    env.pop("REGISTRY_LANGUAGE_CODE", None)
    env.pop("BACKUP_S3_BUCKET", None)
    if language:
        env["REGISTRY_LANGUAGE_CODE"] = language
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("args", "english", "french"),
    [
        (
            ["list_backups"],
            "No backup bucket is configured",
            "Aucun compartiment de sauvegarde n'est configuré",
        ),
        (["seed_demo", "--clients", "-1"], "Sizes cannot be negative.", "Les tailles ne peuvent"),
        (
            ["ingest_daily", "--src", "x.csv", "--source=SMIS", "--chunk-rows", "0"],
            "--chunk-rows must be at least 1.",
            "--chunk-rows doit valoir au moins 1.",
        ),
    ],
)
def test_a_command_writes_in_the_agencys_language(args, english, french):
    code, said = command(*args)
    assert code != 0 and english in said, said
    code, said = command(*args, language="fr-ca")
    assert code != 0 and french in said and english not in said, said


def test_an_unknown_agency_language_stops_the_command_with_a_clear_message():
    code, said = command("check", language="de")
    assert code != 0
    assert "REGISTRY_LANGUAGE_CODE must be one of en-ca, fr-ca, not 'de'." in said
