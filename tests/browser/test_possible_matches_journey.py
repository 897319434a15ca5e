"""An import flags a row; a Coordinator links it in "Possible matches"; the person's record
shows the new enrollment. Then two records of one person are merged and unmerged."""

import datetime

from playwright.sync_api import expect

from identity.models import ClientMerge, MatchStatus, PossibleMatch
from staff.roles import RoleName
from tests.browser.conftest import screenshot, serious_accessibility_violations
from tests.factories import (
    ClientFactory,
    ClientSourceIdFactory,
    EnrollmentFactory,
    MatchCandidateFactory,
    PairFactory,
    PossibleMatchFactory,
    ProgramFactory,
    RestrictionFactory,
    row_values,
)


def test_coordinator_links_a_flagged_row_and_the_record_shows_the_enrollment(page, sign_in):
    sign_in(RoleName.COORDINATOR)
    ProgramFactory(name="Women's Shelter")
    person = ClientFactory(first_name="Thenmozhi", last_name="Kanagaratnam")
    ClientSourceIdFactory(client=person, source="EMH", uid_external="E-4410")
    namesake = ClientFactory(
        first_name="Thenmozhi", last_name="Kanagaratnam", dob=datetime.date(1990, 7, 5)
    )
    RestrictionFactory(client=namesake, reason="Threatened staff")
    # What the import stores for a row it cannot link alone (identity/ models' contract).
    item = PossibleMatchFactory(
        row_values=row_values(
            uid_external="S-20931",
            first_name="Thenmozi",
            last_name="Kanagaratnam",
            program="Women's Shelter",
            enrollment_start="2026-03-02",
            intake_date="2026-03-02",
        ),
        top_score=17.6,
    )
    MatchCandidateFactory(possible_match=item, client=person, rank=1, score=17.6, probability=0.91)
    MatchCandidateFactory(
        possible_match=item,
        client=namesake,
        rank=2,
        score=9.2,
        probability=0.31,
        evidence=[
            {"field": "last_name", "level": "exact", "weight": 7.9, "note": "rare"},
            {"field": "first_name", "level": "typo", "weight": 3.1, "note": ""},
            {"field": "dob", "level": "swapped", "weight": 4.2, "note": "day and month"},
        ],
    )

    page.goto("/admin/")
    page.locator("#wagtail-sidebar").get_by_role("link", name="Possible matches").click()
    expect(page.get_by_test_id("possible-matches")).to_contain_text("Thenmozi Kanagaratnam")
    screenshot(page, "possible-matches-queue")
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Thenmozi Kanagaratnam").click()
    comparison = page.get_by_test_id("comparison")
    expect(comparison).to_contain_text("First name: a small typo apart")
    expect(comparison.get_by_test_id("candidate-restricted")).to_contain_text("the whole agency")
    expect(comparison.locator("mark[data-differs]").first).to_be_visible()
    screenshot(page, "possible-match-item")
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Why").fill("Same EMH id on her referral letter")
    page.get_by_role("button", name="Same person as Thenmozhi Kanagaratnam").first.click()
    page.wait_for_url(f"**/client/inspect/{person.pk}/")
    expect(page.locator(".messages")).to_contain_text("Linked to Thenmozhi Kanagaratnam")
    page.get_by_role("tab", name="Enrollments").click()
    expect(page.locator("#tab-enrollments")).to_contain_text("Women's Shelter")
    expect(page.locator("#tab-enrollments")).to_contain_text("2026-03-02")
    screenshot(page, "possible-match-linked-record")
    item.refresh_from_db()
    assert item.status == MatchStatus.LINKED and item.decided_client_id == person.pk
    assert not PossibleMatch.objects.filter(status="open").exists()


def test_coordinator_merges_two_records_from_the_queue_and_undoes_it(page, sign_in):
    sign_in(RoleName.COORDINATOR)
    program = ProgramFactory(name="Drop-in")
    older = ClientFactory(first_name="Oleksandr", last_name="Kovalenko", gender="Man")
    newer = ClientFactory(first_name="Oleksander", last_name="Kovalenko", gender="")
    EnrollmentFactory(client=newer, program=program, start_date=datetime.date(2026, 2, 2))
    RestrictionFactory(client=newer, reason="Damaged property")
    pair = PairFactory(client=newer)
    MatchCandidateFactory(possible_match=pair, client=older)

    page.goto(f"/admin/snippets/snippets/client/inspect/{older.pk}/")
    expect(page.get_by_test_id("maybe-same-person")).to_contain_text("Oleksander Kovalenko")
    page.get_by_test_id("maybe-same-person").get_by_role("link", name="decide").click()
    page.get_by_role("link", name="Merge with Oleksandr Kovalenko").click()
    expect(page.get_by_test_id("merge-comparison")).to_contain_text("Oleksander")
    page.get_by_label("The other", exact=True).check()  # the older record stays
    page.get_by_label("Why these are one person").fill("Same health card number")
    screenshot(page, "merge-form")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Merge the two records").click()
    page.wait_for_url(f"**/client/inspect/{older.pk}/")
    # Nothing chosen: the record that stayed keeps its own name and answers.
    expect(page.locator("h1")).to_contain_text("Oleksandr Kovalenko")
    # The merged record's restriction is the survivor's at once.
    expect(page.get_by_test_id("restriction-banner")).to_contain_text("Damaged property")
    screenshot(page, "merged-record")

    page.goto(f"/admin/snippets/snippets/client/inspect/{newer.pk}/")
    page.wait_for_url(f"**/client/inspect/{older.pk}/")

    page.get_by_role("button", name="Undo merge").click()
    expect(page.locator(".messages")).to_contain_text("Merge undone")
    expect(page.get_by_test_id("restriction-banner")).to_have_count(0)
    assert ClientMerge.objects.get().undone_at is not None
