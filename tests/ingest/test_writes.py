"""What the import writes, and what staff see afterwards in the admin."""

import datetime

import pytest
from django.urls import reverse

from ingest.models import IngestRun, RunStatus
from snippets.models import Client, ClientProgramEnrollment, Discharge, Intake
from staff.roles import RoleName
from tests.factories import (
    ClientFactory,
    ClientSourceIdFactory,
    DischargeFactory,
    EnrollmentFactory,
)

pytestmark = pytest.mark.django_db

DOB = datetime.date(1988, 4, 12)
AMINA = {"uid_external": "S-1", "first_name": "Amina", "last_name": "Warsame", "dob": "1988-04-12"}


@pytest.fixture
def amina(db):
    client = ClientFactory(
        first_name="Amina",
        last_name="Warsame",
        dob=DOB,
        gender="Woman",
        languages=["Somali"],
        immigration_status="refugee_claimant",
    )
    ClientSourceIdFactory(client=client, source="SMIS", uid_external="S-1")
    return client


def test_a_non_empty_cell_updates_and_an_empty_cell_never_erases(daily_file, ingest, amina):
    out, _, _ = ingest(
        daily_file([{**AMINA, "languages": "English; Somali ;English", "gender": ""}])
    )
    amina.refresh_from_db()
    assert amina.languages == ["English", "Somali"]
    assert amina.gender == "Woman"
    assert amina.immigration_status == "refugee_claimant"
    assert "Clients      inserted       0  updated       1" in out


def test_services_are_created_live_and_updated_by_their_identity(
    daily_file, ingest, amina, shelter
):
    enrollment = EnrollmentFactory(
        client=amina, program=shelter, start_date=datetime.date(2026, 10, 1)
    )
    discharge = DischargeFactory(
        client=amina, program=shelter, discharge_date=datetime.date(2026, 11, 1), reason=""
    )
    service = {**AMINA, "program": "EVA'S PLACE"}  # program names ignore case
    path = daily_file(
        [
            {**service, "enrollment_start": "2026-10-01", "enrollment_end": "2026-11-01"},
            {**service, "discharge_date": "2026-11-01", "discharge_reason": "Housed"},
            {**service, "enrollment_start": "2026-11-20", "intake_date": "2026-11-20"},
        ]
    )
    out, _, rejects = ingest(path)

    assert rejects == []
    enrollment.refresh_from_db()
    discharge.refresh_from_db()
    assert enrollment.end_date == datetime.date(2026, 11, 1)
    assert discharge.reason == "Housed"
    new_enrollment = ClientProgramEnrollment.objects.get(start_date=datetime.date(2026, 11, 20))
    intake = Intake.objects.get()
    assert new_enrollment.live and intake.live
    assert intake.source_system == "SMIS"
    assert "Enrollments  inserted       1  updated       1  unchanged       0" in out
    assert "Discharges   inserted       0  updated       1  unchanged       0" in out


def test_the_same_file_twice_changes_nothing_the_second_time(daily_file, ingest, shelter):
    path = daily_file(
        [
            {
                **AMINA,
                "program": "Eva's Place",
                "enrollment_start": "2026-11-20",
                "intake_date": "2026-11-20",
                "discharge_date": "2026-11-25",
                "discharge_reason": "Housed",
            },
            {"first_name": "Li", "last_name": "Wei", "dob": "2001-02-03"},
        ]
    )
    ingest(path)
    stamps = sorted(
        str(t)
        for model in (Client, ClientProgramEnrollment, Intake, Discharge)
        for t in model.objects.values_list("updated_at", flat=True)
    )
    out, err, _ = ingest(path)

    assert "Clients      inserted       0  updated       0  unchanged       2" in out
    assert "Enrollments  inserted       0  updated       0  unchanged       1" in out
    assert "Intakes      inserted       0  updated       0  unchanged       1" in out
    assert "Source ids added: 0" in out
    assert "already imported" in err
    assert Client.objects.count() == 2
    assert stamps == sorted(
        str(t)
        for model in (Client, ClientProgramEnrollment, Intake, Discharge)
        for t in model.objects.values_list("updated_at", flat=True)
    )


def test_staff_find_a_new_client_at_once_and_see_imported_values(daily_file, ingest, client, login):
    ingest(daily_file([{**AMINA, "last_name": "Qorsheeye", "gender": "Woman"}]))
    login(RoleName.STAFF)

    listing = client.get(reverse("wagtailsnippets_snippets_client:list"), {"q": "Qorsheeye"})
    assert listing.status_code == 200
    assert "Qorsheeye" in listing.content.decode()

    # The front desk finds anyone; the full record is for those who may read it (a client
    # of no program yet: agency-wide roles, see tests/access/).
    login(RoleName.COORDINATOR)
    new = Client.objects.get(last_name="Qorsheeye")
    page = client.get(reverse("wagtailsnippets_snippets_client:inspect", args=[new.pk]))
    assert page.status_code == 200
    assert "Qorsheeye" in page.content.decode()


def test_an_edit_awaiting_publication_keeps_the_import_and_the_staff_change(
    daily_file, ingest, amina, coordinator
):
    # Staff change the gender in a draft that is not yet published.
    amina.gender = "Non-binary"
    amina.save_revision(user=coordinator)
    assert Client.objects.get(pk=amina.pk).has_unpublished_changes

    ingest(daily_file([{**AMINA, "gender": "Woman", "sexual_orientation": "Queer"}]))
    amina.refresh_from_db()
    assert amina.sexual_orientation == "Queer"  # the live record has the import at once

    # Publishing the draft later must not undo the import, and keeps the staff's own change.
    amina.get_latest_revision().publish(user=coordinator)
    amina.refresh_from_db()
    assert amina.sexual_orientation == "Queer"
    assert amina.gender == "Non-binary"


def test_the_run_is_recorded_with_file_hash_and_counts(daily_file, ingest):
    path = daily_file([AMINA, {**AMINA, "dob": "bad"}])
    ingest(path)
    run = IngestRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED
    assert run.source == "SMIS" and run.file_name == "smis-2026-11-27.csv"
    assert len(run.file_sha256) == 64
    assert (run.rows_read, run.rows_rejected) == (2, 1)
    assert run.summary["clients"]["inserted"] == 1
    assert run.finished_at >= run.started_at


def test_rejects_go_beside_the_source_file_by_default(daily_file, tmp_path):
    from django.core.management import call_command

    path = daily_file([{**AMINA, "dob": "bad"}])
    call_command("ingest_daily", "--src", path, "--source=SMIS", stdout=None)
    assert (tmp_path / "smis-2026-11-27.rejects.csv").read_text().count("bad_date") == 1


def test_the_sample_file_imports_as_documented(ingest):
    from pathlib import Path

    from tests.factories import ProgramFactory

    ProgramFactory(name="Eva's Place")
    ProgramFactory(name="Seaton House")
    sample = Path(__file__).resolve().parents[2] / "ingest" / "samples" / "smis-sample.csv"
    out, _, rejects = ingest(str(sample))

    assert Client.objects.live().count() == 4
    assert [(r["reject_row"], r["reject_reason"]) for r in rejects] == [("6", "bad_date")]
    assert Client.objects.get(last_name="Sample").immigration_status == "temporary_resident"
    assert "Discharges   inserted       1" in out


def test_each_run_writes_its_summary_to_the_audit_log(daily_file, ingest, amina):
    from audit.models import AuditLog

    ingest(daily_file([{**AMINA, "languages": "Somali; English"}]))
    run = IngestRun.objects.get()
    summary = AuditLog.objects.get(entity="ingest_run", entity_id=run.pk)
    assert summary.action == "import" and summary.changed_by is None
    assert summary.diff_json["source"]["after"] == "SMIS"
    # The client's own change is audited row by row, with the system as actor.
    change = AuditLog.objects.get(entity="client", entity_id=amina.pk, action="update")
    assert change.changed_by is None
    assert change.diff_json["languages"]["after"] == ["Somali", "English"]
