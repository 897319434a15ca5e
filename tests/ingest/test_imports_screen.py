"""Issue 15: the Imports screen shows every run; its rejects file downloads only for the
roles allowed to see personal data, through a checked view."""

import pytest
from django.urls import reverse

from ingest.models import IngestRun, RunStatus
from staff.roles import RoleName

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs(tmp_path):
    rejects = tmp_path / "smis-rejects.csv"
    rejects.write_text("row,reason\n7,missing date of birth\n")
    done = IngestRun.objects.create(
        source="SMIS",
        file_name="smis-2026-12-02.csv",
        file_sha256="a" * 64,
        status=RunStatus.SUCCEEDED,
        rows_read=10,
        rows_rejected=1,
        rejects_path=str(rejects),
        summary={"rows_taken": 9, "rejected_by_reason": {"missing_dob": 1}},
    )
    failed = IngestRun.objects.create(
        source="EMH",
        file_name="emh.csv",
        file_sha256="b" * 64,
        status=RunStatus.FAILED,
        error="The file has no header row.",
        rejects_path=str(tmp_path / "gone.csv"),
    )
    return done, failed


@pytest.mark.parametrize("role", [RoleName.ADMINISTRATOR, RoleName.COORDINATOR])
def test_runs_are_listed_with_counts_reasons_and_failure(client, login, runs, role):
    login(role)
    html = client.get(reverse("ingest:runs")).content.decode()
    assert "smis-2026-12-02.csv" in html and "missing_dob: 1" in html
    assert "The file has no header row." in html
    done, _ = runs
    download = client.get(reverse("ingest:rejects", args=[done.pk]))
    assert download.status_code == 200
    assert b"missing date of birth" in b"".join(download.streaming_content)


def test_missing_rejects_file_is_explained(client, login, runs):
    login(RoleName.COORDINATOR)
    _, failed = runs
    response = client.get(reverse("ingest:rejects", args=[failed.pk]), follow=True)
    assert "rejects file is not on the server" in response.content.decode()


@pytest.mark.parametrize("role", [RoleName.MANAGER, RoleName.STAFF, RoleName.ANALYST])
def test_other_roles_get_neither_the_screen_nor_the_file(client, login, runs, role):
    login(role)
    done, _ = runs
    # Wagtail's admin answers a refusal by sending them home with "no permission".
    assert client.get(reverse("ingest:runs")).status_code in (302, 403)
    download = client.get(reverse("ingest:rejects", args=[done.pk]))
    assert download.status_code in (302, 403)
    assert not getattr(download, "streaming", False)
