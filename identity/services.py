"""Decisions on possible matches, and merging (and unmerging) two records of one person.

Every write runs in one transaction named for the acting staff member (audit.context), so
the audit log records who changed each client, source id, enrollment, intake, discharge,
restriction, possible match and merge. A refusal raises ``DecisionRefused`` before anything
is written; a failure part-way rolls the whole decision back.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from audit.context import acting_as
from ingest.contract import IMMIGRATION_STATUS_CODES  # cycle: a decided row is an import row
from snippets.models import (
    Client,
    ClientProgramEnrollment,
    ClientSourceId,
    Discharge,
    Intake,
    Program,
    ServiceRestriction,
)

from .fields import client_has_field, merge_fields
from .models import WAITING, ClientMerge, MatchKind, MatchStatus, PossibleMatch

# The records of a person that a merge moves to the survivor (and an unmerge moves back),
# by the key ClientMerge.moved stores their ids under.
MOVED_RECORDS = {
    "enrollments": ClientProgramEnrollment,
    "intakes": Intake,
    "discharges": Discharge,
    "restrictions": ServiceRestriction,
}
# Optional contract columns stored as given on a new person, when the model has them.
OPTIONAL_TEXT_COLUMNS = ("middle_name", "postal_code", "street_address", "phone")


class DecisionRefused(Exception):
    """The decision or merge cannot be made; the message says why, in the agency's words."""


# --- Possible matches --------------------------------------------------------------------


def _lock_waiting(possible_match_id, *, kind: str | None = None) -> PossibleMatch:
    """The possible match, locked until the transaction ends, if it still waits for a
    decision. Two Coordinators deciding at once: the second waits here, then is refused."""
    possible_match = (
        PossibleMatch.objects.select_for_update(of=("self",))
        .select_related("decided_by")
        .filter(pk=possible_match_id)
        .first()
    )
    if possible_match is None:
        raise DecisionRefused(gettext("This possible match no longer exists."))
    if possible_match.status not in WAITING:
        who = possible_match.decided_by or gettext("someone")
        when = timezone.localtime(possible_match.decided_at).strftime("%Y-%m-%d %H:%M")
        raise DecisionRefused(
            gettext(
                "This possible match was already decided by %(name)s on %(when)s "
                "(“%(decision)s”). Nothing was changed."
            )
            % {"name": who, "when": when, "decision": possible_match.get_status_display()}
        )
    if kind and possible_match.kind != kind:
        raise DecisionRefused(
            gettext("That decision is for a row of an import; this is a pair of client records.")
            if kind == MatchKind.IMPORT_ROW
            else gettext(
                "That decision is for a pair of client records; this is a row of an import."
            )
        )
    return possible_match


def _require_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise DecisionRefused(
            gettext("Say why you decided this (the note is kept with the decision).")
        )
    return note


def _record_decision(possible_match, *, status, staff, note, client=None) -> None:
    possible_match.status = status
    possible_match.decided_by = staff
    possible_match.decided_at = timezone.now()
    possible_match.decision_note = note
    possible_match.decided_client = client
    possible_match.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "decided_client"]
    )


def _survivor_of(client: Client) -> Client:
    """The live record a (possibly merged) client now lives on."""
    seen = set()
    while client.merged_into_id and client.pk not in seen:
        seen.add(client.pk)
        client = Client.objects.get(pk=client.merged_into_id)
    return client


def _row_date(values: dict, column: str) -> datetime.date | None:
    raw = (values.get(column) or "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise DecisionRefused(
            gettext("The row's %(column)s (%(value)s) is not a date in the form YYYY-MM-DD.")
            % {"column": column, "value": raw}
        ) from None


def _row_services(values: dict) -> dict:
    """The enrollment, intake and discharge a row reports, checked: raises DecisionRefused
    naming the cell that is wrong (the program renamed since the import, say)."""
    services = {
        "enrollment_start": _row_date(values, "enrollment_start"),
        "enrollment_end": _row_date(values, "enrollment_end"),
        "intake_date": _row_date(values, "intake_date"),
        "discharge_date": _row_date(values, "discharge_date"),
        "discharge_reason": (values.get("discharge_reason") or "").strip(),
        "program": None,
    }
    name = (values.get("program") or "").strip()
    if name:
        services["program"] = Program.objects.live().filter(name__iexact=name).first()
        if services["program"] is None:
            raise DecisionRefused(
                gettext(
                    "The row's program “%(name)s” is not a live program any more: "
                    "restore or rename the program, then decide again."
                )
                % {"name": name}
            )
    elif any(services[c] for c in ("enrollment_start", "intake_date", "discharge_date")):
        raise DecisionRefused(gettext("The row gives service dates but no program."))
    return services


def _published(**fields) -> dict:
    """Fields of a record published directly (as the import writes them)."""
    now = timezone.now()
    return {"live": True, "first_published_at": now, "last_published_at": now, **fields}


def _apply_services(*, client: Client, services: dict, source: str) -> list[str]:
    """Record the row's enrollment, intake and discharge for ``client`` as the import would:
    an enrollment is known by (program, start), an intake by (program, date, source), a
    discharge by (program, date); a known one gets the row's end date or reason. Returns
    what was recorded, in words (no personal data)."""
    program, done = services["program"], []
    if program is None:
        return done
    start, end = services["enrollment_start"], services["enrollment_end"]
    if start:
        enrollment = ClientProgramEnrollment.objects.filter(
            client=client, program=program, start_date=start
        ).first()
        if enrollment is None:
            ClientProgramEnrollment.objects.create(
                **_published(client=client, program=program, start_date=start, end_date=end)
            )
            done.append(
                gettext("enrollment in %(program)s from %(date)s")
                % {"program": program.name, "date": f"{start:%Y-%m-%d}"}
            )
        elif end and enrollment.end_date != end:
            enrollment.end_date = end
            enrollment.save(update_fields=["end_date", "updated_at"])
            done.append(
                gettext("end date %(date)s of the enrollment in %(program)s")
                % {"program": program.name, "date": f"{end:%Y-%m-%d}"}
            )
    if services["intake_date"]:
        _, created = Intake.objects.get_or_create(
            client=client,
            program=program,
            intake_date=services["intake_date"],
            source_system=source,
            defaults=_published(),
        )
        if created:
            done.append(
                gettext("intake to %(program)s on %(date)s")
                % {"program": program.name, "date": f"{services['intake_date']:%Y-%m-%d}"}
            )
    if services["discharge_date"]:
        reason = services["discharge_reason"]
        discharge, created = Discharge.objects.get_or_create(
            client=client,
            program=program,
            discharge_date=services["discharge_date"],
            defaults=_published(reason=reason),
        )
        if created:
            done.append(
                gettext("discharge from %(program)s on %(date)s")
                % {"program": program.name, "date": f"{services['discharge_date']:%Y-%m-%d}"}
            )
        elif reason and discharge.reason != reason:
            discharge.reason = reason
            discharge.save(update_fields=["reason", "updated_at"])
    return done


def _add_source_id(*, client: Client, source: str, uid: str) -> str | None:
    """Give ``client`` the row's id in ``source`` unless it would conflict. Returns why it
    was not added, or None."""
    uid = (uid or "").strip()
    if not (source and uid):
        return None
    holder = ClientSourceId.objects.filter(source=source, uid_external=uid).first()
    if holder is not None:
        if holder.client_id == client.pk:
            return None
        return gettext(
            "The %(source)s id %(uid)s belongs to another client record, so it was not added."
        ) % {"source": source, "uid": uid}
    if ClientSourceId.objects.filter(client=client, source=source).exists():
        return gettext(
            "The client already has another %(source)s id, so %(uid)s was not added."
        ) % {
            "source": source,
            "uid": uid,
        }
    ClientSourceId.objects.create(client=client, source=source, uid_external=uid)
    return None


def possible_match_link(*, possible_match_id, client_id, staff, note: str) -> dict:
    """ "Same person as …": link an import row to one of its candidates.

    Adds the row's source id to the client when absent and not conflicting, and records the
    row's enrollment, intake and discharge for them, live. Returns {"client", "recorded",
    "warnings"}. Raises DecisionRefused (nothing written) if the item was already decided,
    the client is not a candidate, or the row's services cannot be recorded.
    """
    note = _require_note(note)
    with acting_as(staff):
        possible_match = _lock_waiting(possible_match_id, kind=MatchKind.IMPORT_ROW)
        candidate = (
            possible_match.candidates.select_related("client").filter(client_id=client_id).first()
        )
        if candidate is None:
            raise DecisionRefused(gettext("That client is not one of this row's candidates."))
        client = _survivor_of(candidate.client)
        if not client.live:
            raise DecisionRefused(
                gettext("That client record is a draft that was never published: publish it first.")
            )
        values = possible_match.row_values
        services = _row_services(values)
        warning = _add_source_id(
            client=client, source=possible_match.source, uid=values.get("uid_external")
        )
        recorded = _apply_services(client=client, services=services, source=possible_match.source)
        _record_decision(
            possible_match, status=MatchStatus.LINKED, staff=staff, note=note, client=client
        )
    return {"client": client, "recorded": recorded, "warnings": [warning] if warning else []}


def possible_match_new_person(*, possible_match_id, staff, note: str) -> dict:
    """ "A new person": create a live client from the row's cells, give them the row's source
    id (unless another client holds it) and record the row's services. Returns like
    ``possible_match_link``; raises DecisionRefused (nothing written)."""
    note = _require_note(note)
    with acting_as(staff):
        possible_match = _lock_waiting(possible_match_id, kind=MatchKind.IMPORT_ROW)
        values = possible_match.row_values
        services = _row_services(values)
        client = _client_from_row(values)
        warning = _add_source_id(
            client=client, source=possible_match.source, uid=values.get("uid_external")
        )
        recorded = _apply_services(client=client, services=services, source=possible_match.source)
        _record_decision(
            possible_match, status=MatchStatus.NEW_PERSON, staff=staff, note=note, client=client
        )
    return {"client": client, "recorded": recorded, "warnings": [warning] if warning else []}


def _client_from_row(values: dict) -> Client:
    def cell(name):
        return (values.get(name) or "").strip()

    status = cell("immigration_status")
    languages = [p.strip() for p in cell("languages").split(";") if p.strip()]
    fields = {
        "first_name": cell("first_name"),
        "last_name": cell("last_name"),
        "dob": _row_date(values, "dob"),
        "gender": cell("gender"),
        "languages": list(dict.fromkeys(languages)),
        "sexual_orientation": cell("sexual_orientation"),
        "immigration_status": IMMIGRATION_STATUS_CODES.get(status.lower(), "") if status else "",
    }
    if status and not fields["immigration_status"]:
        raise DecisionRefused(
            gettext("The row's immigration status “%(status)s” is not on the list.")
            % {"status": status}
        )
    for name in OPTIONAL_TEXT_COLUMNS:
        if client_has_field(name) and cell(name):
            fields[name] = cell(name)
    client = Client(**_published(**fields))
    try:
        client.full_clean(validate_unique=False)
    except ValidationError as error:
        raise DecisionRefused(
            gettext("The row cannot make a client record: %(errors)s")
            % {"errors": " ".join(error.messages)}
        ) from error
    client.save()
    return client


def possible_match_not_sure(*, possible_match_id, staff, note: str = "") -> PossibleMatch:
    """ "Not sure yet": the item stays in the queue, marked, with who looked and why."""
    with acting_as(staff):
        possible_match = _lock_waiting(possible_match_id)
        _record_decision(
            possible_match, status=MatchStatus.NOT_SURE, staff=staff, note=(note or "").strip()
        )
    return possible_match


def possible_match_different_people(*, possible_match_id, staff, note: str) -> PossibleMatch:
    """Two client records of different people: the pair leaves the queue, both unchanged."""
    note = _require_note(note)
    with acting_as(staff):
        possible_match = _lock_waiting(possible_match_id, kind=MatchKind.EXISTING_CLIENT)
        _record_decision(
            possible_match, status=MatchStatus.DIFFERENT_PEOPLE, staff=staff, note=note
        )
    return possible_match


# --- Merge and unmerge -------------------------------------------------------------------


def _stored(client: Client, name: str):
    """A field's value as JSON (ClientMerge.moved), read back by ``_restored``."""
    value = getattr(client, name)
    return value.isoformat() if isinstance(value, datetime.date) else value


def _restored(name: str, value):
    return Client._meta.get_field(name).to_python(value)


def _check_mergeable(client: Client, which: str) -> None:
    if client.merged_into_id:
        raise DecisionRefused(
            gettext(
                "%(which)s was already merged into another record. Merge with that record "
                "instead, or undo the earlier merge first."
            )
            % {"which": which}
        )
    if client.has_unpublished_changes:
        raise DecisionRefused(
            gettext(
                "%(which)s has changes waiting to be published or approved: "
                "publish or discard them first, so that no draft overwrites the merge."
            )
            % {"which": which}
        )


def _pairs_between(survivor: Client, merged: Client) -> list[PossibleMatch]:
    """Waiting "same person?" pairs of exactly these two records, locked."""
    ids = (
        PossibleMatch.objects.filter(
            Q(client=survivor, candidates__client=merged)
            | Q(client=merged, candidates__client=survivor),
            kind=MatchKind.EXISTING_CLIENT,
            status__in=WAITING,
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    return list(PossibleMatch.objects.select_for_update().filter(pk__in=list(ids)))


def clients_merge(
    *,
    survivor_id,
    merged_id,
    staff,
    reason: str,
    choices: dict[str, str] | None = None,
    possible_match_id=None,
) -> ClientMerge:
    """Make two records of one person one: ``merged`` becomes a non-live record pointing
    to ``survivor``, which receives its enrollments, intakes, discharges, restrictions and
    source ids (a source id in a source the survivor already has an id in stays on the
    merged record, where search still finds it). ``choices`` maps a field to "merged" to
    take the merged record's value; other fields keep the survivor's.

    The access log is append-only and is not rewritten: the survivor's access history
    includes its merged records through ``merged_into``. Everything needed to undo the
    merge is stored on the returned ClientMerge. Raises DecisionRefused for a merge into
    itself, a record already merged (which also refuses cycles), a pending draft, or a
    pair that is not waiting.
    """
    reason = _require_note(reason)
    choices = choices or {}
    if str(survivor_id) == str(merged_id):
        raise DecisionRefused(
            gettext("A record cannot be merged into itself: choose another record.")
        )
    with acting_as(staff):
        locked = {
            str(c.pk): c
            for c in Client.objects.select_for_update(of=("self",))
            .filter(pk__in=[survivor_id, merged_id])
            .order_by("pk")  # a fixed lock order: two merges of one pair cannot deadlock
        }
        if len(locked) != 2:
            raise DecisionRefused(gettext("One of the two client records no longer exists."))
        survivor, merged = locked[str(survivor_id)], locked[str(merged_id)]
        _check_mergeable(survivor, gettext("The record that survives"))
        _check_mergeable(merged, gettext("The other record"))
        if not survivor.live:
            raise DecisionRefused(
                gettext(
                    "The record that survives is a draft that was never published: "
                    "keep the published record instead."
                )
            )

        fields = merge_fields()
        unknown = set(choices) - set(fields)
        if unknown:
            raise DecisionRefused(
                gettext("Unknown fields to merge: %(fields)s.")
                % {"fields": ", ".join(sorted(unknown))}
            )
        taken = {name: getattr(merged, name) for name, side in choices.items() if side == "merged"}
        moved = {
            "survivor_fields": {name: _stored(survivor, name) for name in taken},
            "merged_live": merged.live,
            "source_ids": [],
            "source_ids_kept": [],
            "possible_matches": [],
        }
        for key, model in MOVED_RECORDS.items():
            ids = list(model.objects.filter(client=merged).values_list("pk", flat=True))
            model.objects.filter(pk__in=ids).update(client=survivor)
            moved[key] = [str(pk) for pk in ids]
        survivor_sources = set(survivor.source_ids.values_list("source", flat=True))
        for source_id in merged.source_ids.all():
            key = "source_ids_kept" if source_id.source in survivor_sources else "source_ids"
            moved[key].append(source_id.pk)
        ClientSourceId.objects.filter(pk__in=moved["source_ids"]).update(client=survivor)

        if taken:
            # update(), not save(): the row changes without a new revision or a new
            # updated_at, so an unmerge puts back exactly what was there.
            Client.objects.filter(pk=survivor.pk).update(**taken)
        Client.objects.filter(pk=merged.pk).update(live=False, merged_into=survivor)

        pairs = _pairs_between(survivor, merged)
        if possible_match_id and str(possible_match_id) not in {str(p.pk) for p in pairs}:
            raise DecisionRefused(
                gettext("That pair is no longer waiting, or is not a pair of these two records.")
            )
        for pair in pairs:
            moved["possible_matches"].append(
                {
                    "id": str(pair.pk),
                    "status": pair.status,
                    "decided_by": str(pair.decided_by_id) if pair.decided_by_id else None,
                    "decided_at": pair.decided_at.isoformat() if pair.decided_at else None,
                    "decision_note": pair.decision_note,
                }
            )
            _record_decision(
                pair, status=MatchStatus.MERGED, staff=staff, note=reason, client=survivor
            )
        return ClientMerge.objects.create(
            survivor=survivor,
            merged=merged,
            possible_match_id=possible_match_id,
            merged_by=staff,
            reason=reason,
            field_choices={name: side for name, side in choices.items() if side == "merged"},
            moved=moved,
        )


def client_merge_undo(*, merge_id, staff) -> ClientMerge:
    """Unmerge: put both records, and every row the merge moved, back exactly as they were
    before it (the survivor's chosen fields, the merged record's live state, its
    enrollments, intakes, discharges, restrictions and source ids; the pairs it decided
    wait again). Rows added to the survivor since stay with it. Raises DecisionRefused if
    the merge was already undone, or the survivor has since been merged into another record.
    """
    with acting_as(staff):
        merge = (
            ClientMerge.objects.select_for_update(of=("self",))
            .select_related("undone_by")
            .filter(pk=merge_id)
            .first()
        )
        if merge is None:
            raise DecisionRefused(gettext("This merge no longer exists."))
        if merge.undone_at:
            when = timezone.localtime(merge.undone_at).strftime("%Y-%m-%d %H:%M")
            raise DecisionRefused(
                gettext("This merge was already undone by %(name)s on %(when)s.")
                % {"name": merge.undone_by, "when": when}
            )
        survivor = Client.objects.select_for_update().get(pk=merge.survivor_id)
        if survivor.merged_into_id:
            raise DecisionRefused(
                gettext(
                    "The surviving record has since been merged into another record: "
                    "undo that later merge first."
                )
            )
        moved = merge.moved
        for key, model in MOVED_RECORDS.items():
            model.objects.filter(pk__in=moved.get(key, [])).update(client_id=merge.merged_id)
        ClientSourceId.objects.filter(pk__in=moved.get("source_ids", [])).update(
            client_id=merge.merged_id
        )
        before = {name: _restored(name, v) for name, v in moved.get("survivor_fields", {}).items()}
        if before:
            Client.objects.filter(pk=merge.survivor_id).update(**before)
        Client.objects.filter(pk=merge.merged_id).update(
            live=moved.get("merged_live", True), merged_into=None
        )
        for pair in moved.get("possible_matches", []):
            PossibleMatch.objects.filter(pk=pair["id"]).update(
                status=pair["status"],
                decided_by_id=pair["decided_by"],
                decided_at=pair["decided_at"],
                decision_note=pair["decision_note"],
                decided_client=None,
            )
        merge.undone_by = staff
        merge.undone_at = timezone.now()
        merge.save(update_fields=["undone_by", "undone_at"])
    return merge
