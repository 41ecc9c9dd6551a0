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

from typing import TYPE_CHECKING, Any

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
    return bool(scope and region_code) and (
        region_code == scope or region_code.startswith(scope + ".")
    )


def can_create_ormas(user: AnyUser) -> bool:
    return _active(user) and user.role in (Role.REGION_ADMIN, Role.NATIONAL_ADMIN)


def sees_ormas(user: AnyUser, ormas: Ormas) -> bool:
    """`ormas_visible_to` for one object, decided without a query."""
    if not _active(user):
        return False
    if user.role == Role.NATIONAL_ADMIN:
        return True
    if user.role == Role.OPERATOR:
        return bool(user.ormas_id) and user.ormas_id == ormas.pk
    return user.role in STAFF_ROLES and in_scope(user, ormas.region_id)


def can_edit_ormas(user: AnyUser, ormas: Ormas) -> bool:
    """Profile, pengurus and documents: its own operator, and the registry administrators whose
    region holds it (the scoped fetch of the views is the first wall; this is the second)."""
    if not _active(user):
        return False
    if user.role == Role.OPERATOR:
        return user.ormas_id == ormas.pk
    return can_administer_ormas(user, ormas)


def can_administer_registry(user: AnyUser) -> bool:
    """Registry-wide work: imports, duplicate merges, expiry lists."""
    return _active(user) and user.role in (Role.REGION_ADMIN, Role.NATIONAL_ADMIN)


def can_administer_ormas(user: AnyUser, ormas: Ormas) -> bool:
    """Registry work on one ormas (merge, dismiss a duplicate, assign assessors): its region's
    administrators and the national admin."""
    return can_administer_registry(user) and in_scope(user, ormas.region_id)


def can_verify_ormas(user: AnyUser, ormas: Ormas) -> bool:
    """Verdicts on registry documents: the region's admins, and assessors assigned to this ormas."""
    if not _active(user):
        return False
    if user.role in (Role.REGION_ADMIN, Role.NATIONAL_ADMIN):
        return can_administer_ormas(user, ormas)
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
    """The region's Kesbangpol, or the first assessor while still allowed to verify it."""
    return can_manage_assessments(user, assessment) or (
        user.pk == assessment.assessor_id and can_verify_answers(user, assessment)
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
    if not sees_ormas(user, assessment.ormas):
        return False
    if assessment.is_public:
        return True
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


# --- what pages offer: menus, buttons, lists and recipients --------------------------------------
# Decisions that pages, forms and commands used to make themselves with role tests. Each page
# asks the same function here as the view behind the link it shows.


def works_for_ormas(user: AnyUser) -> bool:
    """An ormas' own operator: its pages show that one ormas, not a region's worklists."""
    return _active(user) and user.role == Role.OPERATOR


def own_ormas(user: AnyUser) -> Ormas | None:
    """The ormas whose pages an operator works in (None for everyone else)."""
    if works_for_ormas(user) and user.ormas_id:
        return user.ormas
    return None


def menu_for(user: AnyUser) -> dict[str, Any]:
    """The links of the main menu, each from the predicate its page checks.

    The lists (registry, programmes, reports, assessments, RPJMD, periods) open to every
    signed-in user and show only the rows of the `*_visible_to` functions above.
    """
    signed_in = _active(user)
    return {
        "signed_in": signed_in,
        "ormas_side": works_for_ormas(user),
        "own_ormas": own_ormas(user),
        "registry_admin": can_administer_registry(user),
        "compliance": can_see_compliance(user),
        "users": can_manage_users(user),
        "unread": _unread(user) if signed_in else 0,
    }


def _unread(user: User) -> int:
    """Unread notifications, for the count in the navigation bar."""
    from sipko.inbox.models import Notification

    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def can_set_eligibility(user: AnyUser) -> bool:
    """Eligibility rules ("layak hibah") belong to one region: its Kesbangpol keeps them. The
    national admin has no region of its own and keeps none (it reads them on each result)."""
    return _active(user) and bool(user.region_id) and can_manage_region(user, user.region_id)


def can_see_methodology(user: AnyUser, period: Period) -> bool:
    """The methodology page of a period: Kesbangpol staff, assessors and viewers whose reach
    includes the period (operators follow their own result instead)."""
    return can_see_compliance(user) and periods_visible_to(user).filter(pk=period.pk).exists()


def follows_unpublished_assessments(user: AnyUser) -> bool:
    """Whether the user follows assessments before publication (state counts, every state in
    the filter). Viewers read published results only, as `assessments_visible_to` gives them."""
    return _active(user) and user.role != Role.VIEWER


def can_see_answer_files(user: AnyUser, assessment: Assessment) -> bool:
    """The evidence files of an assessment's answers, as `answer_files_visible_to` serves them."""
    return (
        follows_unpublished_assessments(user)
        and assessments_visible_to(user).filter(pk=assessment.pk).exists()
    )


def can_see_assessor_values(user: AnyUser, assessment: Assessment) -> bool:
    """The assessors' values and reasons on each answer. They would give away an unpublished
    score: the ormas sees them once its result is published; the assessors verifying or
    reconciling it and Kesbangpol see them throughout."""
    from sipko.assessment.models import AssessmentState

    if not assessments_visible_to(user).filter(pk=assessment.pk).exists():
        return False
    if can_see_result(user, assessment):
        return True
    if assessment.state == AssessmentState.SUBMITTED:
        return can_verify_answers(user, assessment)
    if assessment.state == AssessmentState.RECONCILIATION:
        return can_reconcile(user, assessment)
    return False


def is_assessor(user: AnyUser) -> bool:
    """An active member of a *tim penilai*: the only people assigned to verify an ormas."""
    return _active(user) and user.role == Role.ASSESSOR


def assessors_eligible_for(ormas: Ormas) -> QuerySet[User]:
    """Active assessors whose scope covers the ormas' region (the choices when assigning)."""
    from sipko.accounts.models import User
    from sipko.regions.models import ancestor_codes

    return User.objects.filter(
        role=Role.ASSESSOR, is_active=True, region_id__in=ancestor_codes(ormas.region_id)
    )


def can_load_national_instruments(user: AnyUser) -> bool:
    """A national instrument (no region) is Kemendagri's: only the national admin loads one."""
    return _active(user) and user.role == Role.NATIONAL_ADMIN


def ormas_operators(ormas_ids: Any) -> QuerySet[User]:
    """Active operators of the given ormas (ids or a values query): who is reminded of their
    reports."""
    from sipko.accounts.models import User

    return User.objects.filter(role=Role.OPERATOR, is_active=True, ormas_id__in=ormas_ids)


def registry_admins_over(region_code: str) -> QuerySet[User]:
    """Active region admins whose scope covers the region: who is told of its ormas' expiring
    registrations (the national admin is not: it follows the nation, not each SKT)."""
    from sipko.accounts.models import User
    from sipko.regions.models import ancestor_codes

    return User.objects.filter(
        role=Role.REGION_ADMIN, is_active=True, region_id__in=ancestor_codes(region_code)
    )


def can_use_django_admin(user: AnyUser) -> bool:
    """Django's admin lists every region's rows unscoped: it is the national administrator's
    tool (a superuser with that role, so the services it calls accept it too). Regional staff
    work in SIPKO's own pages, whose queries are scoped."""
    return _active(user) and bool(user.is_superuser) and user.role == Role.NATIONAL_ADMIN


# --- Accounts (docs/accounts.md) --------------------------------------------------------------
# Roles each administrator may give. Nobody grants a role above its own: a region admin makes
# operators, assessors, viewers and fellow region admins, never a national admin.
GRANTABLE_ROLES: dict[str, tuple[str, ...]] = {
    Role.REGION_ADMIN: (Role.OPERATOR, Role.ASSESSOR, Role.VIEWER, Role.REGION_ADMIN),
    Role.NATIONAL_ADMIN: (
        Role.OPERATOR,
        Role.ASSESSOR,
        Role.VIEWER,
        Role.REGION_ADMIN,
        Role.NATIONAL_ADMIN,
    ),
}


def can_manage_users(user: AnyUser) -> bool:
    """The user-management pages: a region admin with a region, and the national admin."""
    if not _active(user):
        return False
    if user.role == Role.NATIONAL_ADMIN:
        return True
    return user.role == Role.REGION_ADMIN and bool(user.region_id)


def grantable_roles(user: AnyUser) -> tuple[str, ...]:
    return GRANTABLE_ROLES.get(user.role, ()) if can_manage_users(user) else ()


def _account_region(role: str, region_code: str | None, ormas: Ormas | None) -> str | None:
    """The region an account works in: its ormas' region for an operator, else its scope."""
    if role == Role.OPERATOR:
        return ormas.region_id if ormas is not None else None
    return region_code or None


def can_grant(
    actor: AnyUser, role: str, region_code: str | None, ormas: Ormas | None = None
) -> bool:
    """Whether `actor` may give an account this role over this region (or ormas, for an
    operator). Staff other than the national admin need a region inside the actor's own."""
    if role not in grantable_roles(actor):
        return False
    if role == Role.NATIONAL_ADMIN:
        return actor.role == Role.NATIONAL_ADMIN
    if role == Role.OPERATOR and ormas is None:
        return False
    region = _account_region(role, region_code, ormas)
    return bool(region) and in_scope(actor, region)


def can_manage_user(actor: AnyUser, target: User) -> bool:
    """Edit, deactivate, reissue a code, set a temporary password or reset the second factor of
    `target`: only within the actor's region and below its own role; never oneself (one's own
    account is changed on the account page, and nobody can lock themselves out)."""
    if not can_manage_users(actor) or target.pk == actor.pk:
        return False
    ormas = target.ormas if target.role == Role.OPERATOR and target.ormas_id else None
    return can_grant(actor, target.role, target.region_id, ormas)


def users_visible_to(user: AnyUser) -> QuerySet[User]:
    """The accounts on the user-management pages: those `can_manage_user` allows (and, for a
    region admin, itself, shown without actions)."""
    from sipko.accounts.models import User

    if not can_manage_users(user):
        return User.objects.none()
    if user.role == Role.NATIONAL_ADMIN:
        return User.objects.all()
    operators = Q(role=Role.OPERATOR) & within_q(user.region_id, "ormas__region__code")
    staff = Q(role__in=[r for r in grantable_roles(user) if r != Role.OPERATOR]) & within_q(
        user.region_id, "region__code"
    )
    return User.objects.filter(operators | staff | Q(pk=user.pk))


def two_factor_required(user: AnyUser) -> bool:
    """Whether this account must sign in with a second factor (settings, docs/accounts.md)."""
    from django.conf import settings

    if not _active(user) or not settings.SIPKO_TWO_FACTOR_REQUIRED:
        return False
    if user.is_demo and settings.SIPKO_DEMO_WITHOUT_TWO_FACTOR:
        return False
    return user.role in settings.SIPKO_TWO_FACTOR_ROLES


def ormas_awaiting_operator(user: AnyUser) -> QuerySet[Ormas]:
    """Current (not merged) ormas in the user's reach with no active operator account: what
    onboarding offers. Empty for anyone who may not manage users."""
    from django.db.models import Exists, OuterRef

    from sipko.accounts.models import User
    from sipko.registry.models import Ormas

    if not can_manage_users(user):
        return Ormas.objects.none()
    has_operator = Exists(
        User.objects.filter(role=Role.OPERATOR, is_active=True, ormas=OuterRef("pk"))
    )
    return ormas_visible_to(user, Ormas.objects.current()).exclude(has_operator)
