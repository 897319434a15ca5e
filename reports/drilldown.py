"""The Org Summary's links from a program's count to the records behind it, for those who
may list them under need to know (access/selectors.py), as the Vacancy Tracker's
``enrollment_list_links`` does for a day:

- clients served → the admin Enrollments list of the program, enrolled during the period
  (``served_from``/``served_to``, the same overlap rule as the report), published only;
- intakes / discharges → the Intakes / Discharges list of the program, dated in the
  period, published only.

Who: none of a list without the permission to view its records; Administrators every
program; Coordinators and Analysts (agency-wide) every program but the confidential ones
they are not assigned to; everyone else the programs they are assigned to (directly or
through their department), and only for a period that starts inside their scope window
(an older record may belong to a client who has left their scope). Everyone else, zero
counts and hidden counts: a plain number.
"""

from django.urls import reverse
from django.utils.http import urlencode

from access.selectors import scope_since, staff_scope

from .selectors import OrgSummary

LISTS = {
    "clients_served": (
        "snippets.view_clientprogramenrollment",
        "wagtailsnippets_snippets_clientprogramenrollment:list",
        "served",
    ),
    "intakes": ("snippets.view_intake", "wagtailsnippets_snippets_intake:list", "intake_date"),
    "discharges": (
        "snippets.view_discharge",
        "wagtailsnippets_snippets_discharge:list",
        "discharge_date",
    ),
}


def org_summary_links(user, summary: OrgSummary) -> dict:
    """``{program_id: {measure: url}}`` for the programs and lists ``user`` may open."""
    measures = {m: spec for m, spec in LISTS.items() if user.has_perm(spec[0])}
    if not measures:
        return {}
    scope = staff_scope(user)
    if scope.agency_wide:
        allowed = [
            p.program_id
            for p in summary.programs
            if scope.administrator or not p.confidential or p.program_id in scope.program_ids
        ]
    elif summary.date_from >= scope_since():
        allowed = [p.program_id for p in summary.programs if p.program_id in scope.program_ids]
    else:
        allowed = []
    if not allowed:
        return {}
    bases = {m: (reverse(name), field) for m, (_perm, name, field) in measures.items()}
    period = {"from": summary.date_from.isoformat(), "to": summary.date_to.isoformat()}
    links = {}
    for pk in allowed:
        links[pk] = {
            measure: base
            + "?"
            + urlencode(
                {
                    "program": pk,
                    f"{field}_from": period["from"],
                    f"{field}_to": period["to"],
                    "live": "true",
                }
            )
            for measure, (base, field) in bases.items()
        }
    return links
