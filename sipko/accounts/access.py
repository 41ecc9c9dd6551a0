"""Who may see and do what: the one place where SIPKO decides access (SPEC §2).

Views, API routes and commands never test roles themselves; they fetch through these functions
(`ormas_visible_to(user)` and friends), so an object outside a user's reach is simply not found
(HTTP 404), and they ask the `can_*` predicates before a write.

- national_admin: everything.
- region_admin, viewer: everything inside their region scope (code prefix); viewers read only.
- assessor: inside their scope, read only; verifies only the ormas assigned to them.
- operator: their own ormas only.
- anonymous: nothing here (the public directory has its own masked selectors).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from sipko.accounts.models import Role
from sipko.regions.models import within_q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from sipko.accounts.models import User
    from sipko.assessment.models import AnswerFile, Assessment, Instrument
    from sipko.planning.models import Period, Programme, Rpjmd
    from sipko.registry.models import Document, Ormas
    from sipko.reporting.models import ActivityReport, Evidence

    AnyUser = User | AnonymousUser

STAFF_ROLES = {Role.REGION_ADMIN, Role.VIEWER, Role.ASSESSOR, Role.NATIONAL_ADMIN}


def _active(user: AnyUser) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def ormas_visible_to(user: AnyUser, queryset: QuerySet[Ormas] | None = None) -> QuerySet[Ormas]:
    from sipko.registry.models import Ormas

    qs = queryset if queryset is not None else Ormas.objects.all()
    if not _active(user):
        return qs.none()
    if user.role == Role.NATIONAL_ADMIN:
        return qs
    if user.role == Role.OPERATOR:
        return qs.filter(pk=user.ormas_id) if user.ormas_id else qs.none()
    if user.role in STAFF_ROLES and user.region_id:
        return qs.filter(within_q(user.region_id, "region__code"))
    return qs.none()


def documents_visible_to(user: AnyUser) -> QuerySet[Document]:
    """Document files are for those who edit or verify the ormas; viewers see only verdicts."""
    from sipko.registry.models import Document

    if not _active(user):
        return Document.objects.none()
    if user.role == Role.ASSESSOR:
        return Document.objects.filter(
            ormas__in=ormas_visible_to(user), ormas__assignments__assessor=user
        )
    if user.role == Role.VIEWER:
        return Document.objects.none()
    return Document.objects.filter(ormas__in=ormas_visible_to(user))


def in_scope(user: AnyUser, region_code: str) -> bool:
    """Whether a region code lies inside what the user administers (for choosing regions)."""
    if not _active(user):
        return False
    if user.role == Role.NATIONAL_ADMIN:
        return True
    scope = user.region_id
    return bool(scope) and (region_code == scope or region_code.startswith(scope + "."))


def can_create_ormas(user: AnyUser) -> bool:
    return _active(user) and user.role in (Role.REGION_ADMIN, Role.NATIONAL_ADMIN)


def can_edit_ormas(user: AnyUser, ormas: Ormas) -> bool:
    """Profile, pengurus and documents. Assumes `ormas` was fetched through `ormas_visible_to`."""
    if not _active(user):
        return False
    if user.role in (Role.REGION_ADMIN, Role.NATIONAL_ADMIN):
        return True
    return user.role == Role.OPERATOR and user.ormas_id == ormas.pk


def can_administer_registry(user: AnyUser) -> bool:
    """Registry-wide work: imports, duplicate merges, expiry lists."""
    return _active(user) and user.role in (Role.REGION_ADMIN, Role.NATIONAL_ADMIN)


def can_verify_ormas(user: AnyUser, ormas: Ormas) -> bool:
    """Verdicts on registry documents: region admins, and assessors assigned to this ormas."""
    if not _active(user):
        return False
    if user.role in (Role.REGION_ADMIN, Role.NATIONAL_ADMIN):
        return True
    return (
        user.role == Role.ASSESSOR
        and in_scope(user, ormas.region_id)
        and ormas.assignments.filter(assessor=user).exists()
    )


def can_open_documents(user: AnyUser, ormas: Ormas) -> bool:
    return can_edit_ormas(user, ormas) or can_verify_ormas(user, ormas)


def can_see_personal_data(user: AnyUser, ormas: Ormas) -> bool:
    """Unmasked personal phones: the ormas' own operator and the registry administrators.

    A NIK is never shown in full on a page; this only governs phone numbers.
    """
    return can_edit_ormas(user, ormas)


# --- planning and reporting -------------------------------------------------------------------


def programmes_visible_to(user: AnyUser) -> QuerySet[Programme]:
    from sipko.planning.models import Programme

    return Programme.objects.filter(ormas__in=ormas_visible_to(user))


def reports_visible_to(user: AnyUser) -> QuerySet[ActivityReport]:
    from sipko.reporting.models import ActivityReport

    return ActivityReport.objects.filter(programme__ormas__in=ormas_visible_to(user))


def evidence_visible_to(user: AnyUser) -> QuerySet[Evidence]:
    """Evidence files follow document files: editors, admins and assigned assessors."""
    from sipko.reporting.models import Evidence

    if not _active(user) or user.role == Role.VIEWER:
        return Evidence.objects.none()
    reports = reports_visible_to(user)
    if user.role == Role.ASSESSOR:
        reports = reports.filter(programme__ormas__assignments__assessor=user)
    return Evidence.objects.filter(report__in=reports)


def _regional_reach(user: AnyUser) -> Q | None:
    """Regions whose plans a user follows: its own region, those above it and, for staff, those
    below it. None means everything; an empty match means nothing."""
    from sipko.regions.models import ancestor_codes

    nothing = Q(pk__in=[])
    if not _active(user):
        return nothing
    if user.role == Role.NATIONAL_ADMIN:
        return None
    if user.role == Role.OPERATOR:
        if not user.ormas_id:
            return nothing
        return Q(region_id__in=ancestor_codes(user.ormas.region_id))
    if not user.region_id:
        return nothing
    return within_q(user.region_id, "region__code") | Q(
        region_id__in=ancestor_codes(user.region_id)
    )


def periods_visible_to(user: AnyUser) -> QuerySet[Period]:
    from sipko.planning.models import Period

    reach = _regional_reach(user)
    return Period.objects.all() if reach is None else Period.objects.filter(reach)


def rpjmds_visible_to(user: AnyUser) -> QuerySet[Rpjmd]:
    """RPJMD with the same reach as periods (any logged-in role reads the plans it works under)."""
    from sipko.planning.models import Rpjmd

    reach = _regional_reach(user)
    rpjmds = Rpjmd.objects.select_related("region")
    return rpjmds if reach is None else rpjmds.filter(reach)


def can_manage_region(user: AnyUser, region_code: str) -> bool:
    """Periods, RPJMD, programme review and report verification of a region's ormas."""
    return can_administer_registry(user) and in_scope(user, region_code)


def can_edit_plans_of(user: AnyUser, ormas: Ormas) -> bool:
    """Write programmes, reports and financial summaries for this ormas."""
    return can_edit_ormas(user, ormas)


def can_file_reports(user: AnyUser) -> bool:
    """Operators of an ormas and the registry administrators file activity reports."""
    if not _active(user):
        return False
    if user.ormas_id:
        return can_edit_plans_of(user, user.ormas)
    return can_administer_registry(user)


def can_see_compliance(user: AnyUser) -> bool:
    """Kesbangpol staff, assessors and viewers; an operator follows its own reports instead."""
    return _active(user) and user.role in STAFF_ROLES


def can_verify_reports_of(user: AnyUser, ormas: Ormas) -> bool:
    """Verify or return activity reports: region admins and assigned assessors."""
    return can_verify_ormas(user, ormas)


# --- performance assessment --------------------------------------------------------------------


def instruments_visible_to(user: AnyUser) -> QuerySet[Instrument]:
    """Published national instruments and those of regions in reach; drafts only to their admins."""
    from sipko.assessment.models import Instrument, InstrumentStatus

    if not _active(user):
        return Instrument.objects.none()
    if user.role == Role.NATIONAL_ADMIN:
        return Instrument.objects.all()
    reach = _regional_reach(user)
    visible = Q(region__isnull=True) | (reach if reach is not None else Q())
    drafts = Q(status=InstrumentStatus.DRAFT)
    if user.role == Role.REGION_ADMIN and user.region_id:
        own_drafts = drafts & within_q(user.region_id, "region__code")
        return Instrument.objects.filter(visible).filter(~drafts | own_drafts)
    return Instrument.objects.filter(visible).exclude(drafts)


def can_manage_instrument(user: AnyUser, instrument: Instrument) -> bool:
    """Load, publish and copy: national instruments by national admins, regional ones in scope."""
    if not _active(user):
        return False
    if instrument.region_id is None:
        return user.role == Role.NATIONAL_ADMIN
    return can_manage_region(user, instrument.region_id)


def can_load_instruments(user: AnyUser) -> bool:
    return can_administer_registry(user)


def assessments_visible_to(user: AnyUser) -> QuerySet[Assessment]:
    """Operators see their own; assessors the ones they are assigned to; viewers published ones."""
    from sipko.assessment.models import PUBLIC_STATES, Assessment

    qs = Assessment.objects.filter(ormas__in=ormas_visible_to(user))
    if not _active(user):
        return qs.none()
    if user.role == Role.ASSESSOR:
        # A draft is the ormas' own work in progress: assessors see it once it is submitted.
        return qs.filter(Q(assessor=user) | Q(second_assessor=user)).exclude(state="draft")
    if user.role == Role.VIEWER:
        return qs.filter(state__in=PUBLIC_STATES)
    return qs


def is_assessor_of(user: AnyUser, assessment: Assessment) -> bool:
    return _active(user) and user.pk in (assessment.assessor_id, assessment.second_assessor_id)


def acts_for_ormas(user: AnyUser, ormas: Ormas) -> bool:
    """The ormas' own operator, or Kesbangpol of its region filling in for it."""
    if not _active(user):
        return False
    if user.role == Role.OPERATOR:
        return user.ormas_id == ormas.pk
    return can_manage_region(user, ormas.region_id)


def can_answer(user: AnyUser, assessment: Assessment) -> bool:
    """Self-assessment: the ormas' operator (or its region's admin filling in for it)."""
    return acts_for_ormas(user, assessment.ormas) and not is_assessor_of(user, assessment)


def can_verify_answers(user: AnyUser, assessment: Assessment) -> bool:
    """The first or second assessor of this assessment, still inside their scope."""
    return (
        is_assessor_of(user, assessment)
        and user.role in (Role.ASSESSOR, Role.REGION_ADMIN, Role.NATIONAL_ADMIN)
        and (user.role == Role.NATIONAL_ADMIN or in_scope(user, assessment.ormas.region_id))
        and user.ormas_id != assessment.ormas_id
    )


def can_manage_assessments(user: AnyUser, assessment: Assessment) -> bool:
    """Assign assessors, reconcile, publish and finalise: the region's Kesbangpol."""
    return can_manage_region(user, assessment.ormas.region_id)


def can_reconcile(user: AnyUser, assessment: Assessment) -> bool:
    return can_manage_assessments(user, assessment) or (
        _active(user) and user.pk == assessment.assessor_id
    )


def can_appeal(user: AnyUser, assessment: Assessment) -> bool:
    """A *keberatan* is the ormas' own right: its operator files it."""
    return _active(user) and user.role == Role.OPERATOR and user.ormas_id == assessment.ormas_id


def can_appeal_files(user: AnyUser, assessment: Assessment) -> bool:
    """Grounds and attachments of an appeal: the ormas, its assessors and its Kesbangpol."""
    return (
        can_appeal(user, assessment)
        or is_assessor_of(user, assessment)
        or can_manage_assessments(user, assessment)
    )


def can_decide_appeal(user: AnyUser, assessment: Assessment) -> bool:
    """A region admin who took no part in verifying the result (the second look must be new)."""
    if not can_manage_assessments(user, assessment) or is_assessor_of(user, assessment):
        return False
    return not assessment.answers.filter(
        Q(verified_by=user) | Q(second_by=user) | Q(final_by=user)
    ).exists()


def can_see_provisional(user: AnyUser, assessment: Assessment) -> bool:
    """The self-assessment score belongs to the ormas alone (SPEC §3.5)."""
    return _active(user) and user.ormas_id == assessment.ormas_id and user.role == Role.OPERATOR


def can_see_result(user: AnyUser, assessment: Assessment) -> bool:
    """Published results: whoever sees the assessment. Before that: its assessors and admins."""
    if assessment.is_public:
        return _active(user)
    if assessment.state == "draft":
        return False
    return is_assessor_of(user, assessment) or can_manage_assessments(user, assessment)


def answer_files_visible_to(user: AnyUser) -> QuerySet[AnswerFile]:
    """Evidence of answers: the ormas, its assessors and the region's admins; never viewers."""
    from sipko.assessment.models import AnswerFile

    if not _active(user) or user.role == Role.VIEWER:
        return AnswerFile.objects.none()
    return AnswerFile.objects.filter(answer__assessment__in=assessments_visible_to(user))


def can_manage_guidance(user: AnyUser, assessment: Assessment) -> bool:
    return can_manage_assessments(user, assessment)


def can_report_follow_up(user: AnyUser, assessment: Assessment) -> bool:
    """The ormas reports progress on its follow-ups; Kesbangpol may too."""
    return acts_for_ormas(user, assessment.ormas)
