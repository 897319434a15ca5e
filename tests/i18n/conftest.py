import shutil
import subprocess

import pytest
from django.conf import settings
from django.utils import translation

FRENCH = "fr-ca"
ENGLISH = "en-ca"
PO = settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def compile_translations() -> None:
    """Compile the French catalogue as `make messages` does, when the .mo is missing or older
    than the .po, so these tests also run straight from pytest. Fails without gettext."""
    if not shutil.which("msgfmt"):
        pytest.fail("gettext's msgfmt is missing: `make test` installs it (apt-get gettext).")
    mo = PO.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < PO.stat().st_mtime:
        subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(PO)], check=True)
        # Django caches the catalogues per process: read the new one.
        translation.trans_real._translations = {}
        translation.trans_real._active = translation.trans_real.Local()


@pytest.fixture(scope="session", autouse=True)
def french_catalogue():
    compile_translations()


@pytest.fixture
def french_speaker(db, login):
    """Log in as a staff member holding ``role`` whose Wagtail preference is French."""
    from wagtail.users.models import UserProfile

    def _login(role: str, **fields):
        staff = login(role, **fields)
        profile = UserProfile.get_for_user(staff)
        profile.preferred_language = FRENCH
        profile.save()
        return staff

    return _login
