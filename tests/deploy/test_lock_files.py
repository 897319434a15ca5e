"""The locked requirements install on any machine: they name no index or wheel folder of
the machine the lock was made on (inside the image such lines gave ~170 pip warnings)."""

import re
import subprocess

from tests.databases import PROJECT_DIR

LOCK_FILES = sorted((PROJECT_DIR / "requirements").glob("*.txt"))
# pip options that point pip at a place: an index, extra index, wheel folder or host.
MACHINE_LOCAL = re.compile(
    r"^\s*(--index-url|--extra-index-url|--find-links|--trusted-host|-i\s|-f\s)"
)


def test_lock_files_name_no_index_or_wheel_folder():
    assert LOCK_FILES, "requirements/*.txt are missing"
    offending = [
        f"{path.name}:{number}: {line}"
        for path in LOCK_FILES
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if MACHINE_LOCAL.match(line)
    ]
    assert offending == []


def test_the_lock_target_keeps_them_out_when_re_locking():
    # `make -n` prints the commands without running pip-compile.
    commands = subprocess.run(
        ["make", "-n", "lock"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout
    compiles = [line for line in commands.splitlines() if "pip-compile" in line]
    assert len(compiles) == 2
    for line in compiles:
        assert "--no-emit-index-url" in line and "--no-emit-find-links" in line
