import pytest

from reports.services import report_pages_ensure


@pytest.fixture
def report_pages(db):
    """The Reports index and both report pages, as `setup_reports` leaves them."""
    return report_pages_ensure()
