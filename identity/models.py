"""One person, one record: the possible matches waiting for a person's decision, and the
merges of two records of one person (kept so that a merge can be undone).

A *possible match* is either a row of a nightly import that may be a client already in
the registry (``kind=import_row``), or a client that may be the same person as another
client (``kind=existing_client``, found by ``manage.py find_duplicates``). Its candidates
are ranked by the same Fellegi-Sunter match weight the import uses (identity/linkage/).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class MatchKind(models.TextChoices):
    IMPORT_ROW = "import_row", _("Row of an import")
    EXISTING_CLIENT = "existing_client", _("Client already in the registry")


class MatchStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a decision")
    NOT_SURE = "not_sure", _("Not sure yet")
    # Import rows: linked to a candidate, or taken as a new person.
    LINKED = "linked", _("Same person")
    NEW_PERSON = "new_person", _("A new person")
    # Pairs of existing clients: merged, or two different people.
    MERGED = "merged", _("Merged")
    DIFFERENT_PEOPLE = "different_people", _("Different people")


# Still waiting: listed in "Possible matches" and counted on the dashboard.
WAITING = (MatchStatus.OPEN, MatchStatus.NOT_SURE)


class PossibleMatch(models.Model):
    """A row or a client that may be the same person as one or more clients.

    ``row_key`` remembers a decision: it is
    ``md5(concat_ws('|', source, source_client_id, upper(first_name), upper(last_name), dob))``
    over the row's identity cells only (not its service dates), so the same person in
    tomorrow's file from the same source is not asked again.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=MatchKind.choices)
    status = models.CharField(max_length=20, choices=MatchStatus.choices, default=MatchStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    # kind=import_row: where the row came from and what it said.
    run = models.ForeignKey(
        "ingest.IngestRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="possible_matches",
    )
    source = models.CharField(max_length=20, blank=True)
    row_number = models.PositiveIntegerField(null=True, blank=True)
    row_key = models.CharField(max_length=32, blank=True)
    # The row's cells as read (personal data: kept only while the item is needed, see
    # docs/personal-data.md), so a decision can apply the row's enrollment, intake and
    # discharge later.
    row_values = models.JSONField(default=dict, blank=True)

    # kind=existing_client: the client that may be a duplicate of its candidate.
    client = models.ForeignKey(
        "snippets.Client",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="possible_duplicates",
    )

    top_score = models.FloatField(
        null=True, blank=True, help_text=_("Match weight of the best candidate.")
    )

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    # The client the row was linked to or created as (import rows), or the survivor of a merge.
    decided_client = models.ForeignKey(
        "snippets.Client",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("possible match")
        verbose_name_plural = _("possible matches")
        ordering = ["created_at"]
        # Who decides: Coordinators and Administrators (staff/roles.py). The same people
        # merge and unmerge client records.
        permissions = [
            ("decide_possiblematch", "Can decide possible matches and merge client records")
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="possible_match_waiting"),
            # "Possible matches" filtered by import run or by source, oldest first: only
            # waiting items are indexed, so the index stays small however many are decided.
            models.Index(
                fields=["run", "created_at"],
                condition=models.Q(status__in=WAITING),
                name="possible_match_waiting_run",
            ),
            models.Index(
                fields=["source", "created_at"],
                condition=models.Q(status__in=WAITING),
                name="possible_match_waiting_source",
            ),
            models.Index(
                fields=["row_key"], name="possible_match_row_key", condition=~models.Q(row_key="")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind=MatchKind.IMPORT_ROW, run__isnull=False, client__isnull=True)
                    | models.Q(kind=MatchKind.EXISTING_CLIENT, client__isnull=False)
                ),
                name="possible_match_kind_fields",
            ),
        ]

    def __str__(self):
        # Never a name: this string reaches logs and Wagtail's messages.
        return gettext("Possible match %(id)s") % {"id": self.id}


class MatchCandidate(models.Model):
    """A client who may be the person of a possible match, with the evidence for it."""

    possible_match = models.ForeignKey(
        PossibleMatch, on_delete=models.CASCADE, related_name="candidates"
    )
    client = models.ForeignKey("snippets.Client", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()
    # log2 of the Bayes factor (Fellegi-Sunter match weight), and the probability that it
    # is the same person given the registry's size (prior odds), see identity/linkage/.
    score = models.FloatField()
    probability = models.FloatField()
    # Per field: [{"field": "last_name", "level": "exact", "weight": 7.9, "note": "rare"}, ...]
    evidence = models.JSONField(default=list)

    class Meta:
        ordering = ["possible_match", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["possible_match", "client"], name="match_candidate_once"
            ),
            models.UniqueConstraint(
                fields=["possible_match", "rank"], name="match_candidate_rank_once"
            ),
        ]

    def __str__(self):
        return f"Candidate {self.rank} of {self.possible_match_id}"


class ClientMerge(models.Model):
    """Two records of one person made one: ``merged`` now points to ``survivor``.

    ``moved`` lists, per table, the ids of the rows moved from the merged record to the
    survivor and the survivor's field values before the merge, so that ``unmerge`` puts
    every row back exactly as it was.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survivor = models.ForeignKey("snippets.Client", on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey("snippets.Client", on_delete=models.PROTECT, related_name="+")
    possible_match = models.ForeignKey(
        PossibleMatch, null=True, blank=True, on_delete=models.PROTECT, related_name="merges"
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    field_choices = models.JSONField(default=dict, blank=True)
    moved = models.JSONField(default=dict, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("client merge")
        verbose_name_plural = _("client merges")
        ordering = ["-merged_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(survivor=models.F("merged")), name="client_merge_not_itself"
            ),
            # A record is merged away at most once at a time.
            models.UniqueConstraint(
                fields=["merged"],
                condition=models.Q(undone_at__isnull=True),
                name="client_merged_once",
            ),
        ]

    def __str__(self):
        return f"Merge {self.id}"


class AutomaticLink(models.Model):
    """A row of an import linked to a client by its match weight, without a person: the
    score and per-field evidence it was linked on (counts only in the run's summary)."""

    run = models.ForeignKey(
        "ingest.IngestRun", on_delete=models.PROTECT, related_name="automatic_links"
    )
    row_number = models.PositiveIntegerField()
    client = models.ForeignKey("snippets.Client", on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()
    probability = models.FloatField()
    evidence = models.JSONField(default=list)

    class Meta:
        ordering = ["run", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "row_number"], name="automatic_link_once"),
        ]
        indexes = [models.Index(fields=["client"], name="automatic_link_client")]

    def __str__(self):
        return f"Automatic link of row {self.row_number}"
