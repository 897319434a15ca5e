"""A run killed at any point leaves the registry as it was, and the next run completes.

The command runs in its own process, as under cron, so what it sees must be committed:
the starting data is created by a separate process and removed again afterwards. The
test's own connection reads in READ COMMITTED, so it sees what the command commits.
"""

import signal
import subprocess
import sys

import pytest

from ingest.models import IngestRun, RunStatus
from snippets.models import Client, ClientProgramEnrollment, ClientSourceId, Intake

from .conftest import PROJECT, csv_text

pytestmark = pytest.mark.django_db


def command(path, env):
    return subprocess.Popen(
        [sys.executable, "manage.py", "ingest_daily", "--src", path, "--source=SMIS"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def registry_state():
    return (
        sorted(Client.objects.values_list("last_name", "gender")),
        ClientSourceId.objects.count(),
        ClientProgramEnrollment.objects.count(),
        Intake.objects.count(),
    )


@pytest.mark.parametrize("point", ["staged", "matched", "written"])
def test_killed_mid_run_changes_nothing_and_a_rerun_completes(tmp_path, committed, point):
    rows = [
        {
            "uid_external": "S-1",
            "first_name": "Amina",
            "last_name": "Known",
            "dob": "1990-05-17",
            "gender": "Man",
            "program": "Eva's Place",
            "intake_date": "2026-11-20",
        },
    ] + [
        {
            "uid_external": f"N-{i}",
            "first_name": f"New{i}",
            "last_name": "Person",
            "dob": "1970-01-01",
            "program": "Eva's Place",
            "enrollment_start": "2026-11-20",
        }
        for i in range(50)
    ]
    path = tmp_path / "smis.csv"
    path.write_text(csv_text(rows))
    env = {**committed, "INGEST_PAUSE_AT": point}
    before = registry_state()

    process = command(str(path), env)
    # The command announces the pause on stderr once everything up to ``point`` is done.
    line = process.stderr.readline()
    while line and "paused at" not in line:
        line = process.stderr.readline()
    assert f"paused at {point}" in line
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    assert registry_state() == before
    del env["INGEST_PAUSE_AT"]
    rerun = command(str(path), env)
    out, err = rerun.communicate(timeout=120)

    assert rerun.returncode == 0, err
    assert "Clients      inserted      50  updated       1" in out
    clients, source_ids, enrollments, intakes = registry_state()
    assert (len(clients), source_ids, enrollments, intakes) == (51, 51, 50, 1)
    statuses = list(IngestRun.objects.order_by("started_at").values_list("status", flat=True))
    assert statuses == [RunStatus.INTERRUPTED, RunStatus.SUCCEEDED]


@pytest.mark.parametrize("point", ["rejects_written", "committing"])
def test_killed_while_committing_leaves_no_partial_file_and_no_record_of_a_missing_one(
    tmp_path, committed, point
):
    rows = [
        {
            "uid_external": f"N-{i}",
            "first_name": f"New{i}",
            "last_name": "Person",
            "dob": "1970-01-01",
            "program": "Eva's Place",
            "enrollment_start": "2026-11-20",
        }
        for i in range(5)
    ] + [{"uid_external": "N-bad", "first_name": "", "last_name": "", "dob": "1970-01-01"}]
    path = tmp_path / "smis.csv"
    path.write_text(csv_text(rows))
    rejects = tmp_path / "smis.rejects.csv"
    partial = tmp_path / "smis.rejects.csv.partial"
    env = {**committed, "INGEST_PAUSE_AT": point}

    process = command(str(path), env)
    line = process.stderr.readline()
    while line and "paused at" not in line:
        line = process.stderr.readline()
    assert f"paused at {point}" in line
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    # Nothing committed, so no run record names a rejects file (the run is still marked
    # running until the next run finds it holding no lock).
    assert Client.objects.count() == 1
    assert list(IngestRun.objects.values_list("status", "rejects_path")) == [
        (RunStatus.RUNNING, "")
    ]
    # Killed before the rename, the unfinished file is left; killed after it, none is.
    assert partial.exists() == (point == "rejects_written")

    del env["INGEST_PAUSE_AT"]
    rerun = command(str(path), env)
    out, err = rerun.communicate(timeout=120)

    assert rerun.returncode == 0, err
    runs = list(IngestRun.objects.order_by("started_at").values_list("status", "rejects_path"))
    assert runs == [(RunStatus.INTERRUPTED, ""), (RunStatus.SUCCEEDED, str(rejects))]
    assert rejects.exists()
    assert "N-bad" in rejects.read_text()
    assert not partial.exists()


def test_a_stale_partial_rejects_file_is_removed_by_the_next_run(tmp_path, committed):
    path = tmp_path / "smis.csv"
    path.write_text("this is not the export the registry expects\n")
    partial = tmp_path / "smis.rejects.csv.partial"
    partial.write_text("reject_row,reject_reason\n2,left by a killed run\n")

    # Even a run that refuses its file clears what an earlier killed run left behind.
    rerun = command(str(path), committed)
    rerun.communicate(timeout=120)

    assert rerun.returncode != 0
    assert not partial.exists()
