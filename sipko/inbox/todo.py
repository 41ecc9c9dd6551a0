"""The landing page: what is waiting for a user, per role (docs/accounts.md, "The landing page").

`todo_for(user)` answers a `Todo`: groups of linked items, each with its date, overdue first;
viewers and the national admin get the region's headline figures instead, until the dashboards
exist. Everything is read through `accounts.access` and the apps' selectors, with a bounded
number of queries whatever the size of the region (no query per ormas): administrators see at
most `LIMIT` items of a kind and a link to the whole list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Max, Min, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from sipko.accounts import access
from sipko.accounts.models import Role
from sipko.accounts.selectors import never_activated
from sipko.assessment import selectors as assessment_selectors
from sipko.assessment.models import PUBLIC_STATES, Appeal, AppealState, Assessment
from sipko.assessment.models import AssessmentState as A
from sipko.planning import selectors as planning_selectors
from sipko.planning.models import PeriodState, Programme, ProgrammeState
from sipko.registry import selectors as registry_selectors
from sipko.registry.models import (
    Document,
    DocumentType,
    ImportJob,
    LegalForm,
    Ormas,
    Pengurus,
    Position,
    Validity,
    Verdict,
)
from sipko.reporting import selectors as reporting_selectors
from sipko.reporting.models import ActivityReport, ReportState
from sipko.reporting.selectors import ComplianceTally, DueStatus
from sipko.workflow.models import StateChange

if TYPE_CHECKING:
    from sipko.accounts.access import AnyUser
    from sipko.accounts.models import User

# Items of one kind listed for an administrator; the rest are behind the group's link.
LIMIT = 10
# Registry imports finished this recently are on the landing page of the admin who ran them.
IMPORT_DAYS = 7
# Assessment periods in which the ormas fills in its self-assessment.
SELF_ASSESSMENT_PERIOD_STATES = (PeriodState.OPEN, PeriodState.ASSESSMENT)
# The users:list filter of operators who never activated (docs/accounts.md).
NEVER_ACTIVATED_QUERY = "role=operator&status=belum_aktivasi"


@dataclass(frozen=True)
class TodoItem:
    title: str
    url: str = ""
    date: dt.date | None = None
    date_label: str = ""  # what the date is: "batas", "diajukan", "berakhir"…
    detail: str = ""
    overdue: bool = False

    @property
    def sort_key(self) -> tuple[bool, dt.date, str]:
        return (not self.overdue, self.date or dt.date.max, self.title)


@dataclass
class TodoGroup:
    key: str
    title: str
    items: list[TodoItem] = field(default_factory=list)
    total: int = 0  # how many there are when more than the items shown
    more_url: str = ""

    @property
    def overdue(self) -> bool:
        return any(item.overdue for item in self.items)

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    detail: str = ""
    url: str = ""


@dataclass
class Completeness:
    """How complete an ormas' profile is: the required fields and documents it has."""

    done: int
    required: int
    missing: list[str]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.required) if self.required else 100


@dataclass
class Todo:
    groups: list[TodoGroup] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    figures_title: str = ""

    @property
    def empty(self) -> bool:
        return not self.groups and not self.figures


def today() -> dt.date:
    return timezone.localdate()


def todo_for(user: AnyUser, *, on: dt.date | None = None) -> Todo:
    """What `user` should attend to on day `on` (today by default)."""
    if not (user.is_authenticated and user.is_active):
        return Todo()
    build = ROLE_TODO.get(user.role)
    return build(user, on or today()) if build else Todo()


def _ordered(groups: list[TodoGroup]) -> list[TodoGroup]:
    """Groups with something in them; each overdue first, then by date; the groups with an
    overdue item first, then the one whose first date is soonest (stable otherwise)."""
    kept = [group for group in groups if group.items]
    for group in kept:
        group.items.sort(key=lambda item: item.sort_key)
    return sorted(kept, key=lambda group: group.items[0].sort_key[:2])


def _local(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def _url(name: str, *args: Any, query: str = "") -> str:
    path = reverse(name, args=args)
    return f"{path}?{query}" if query else path


# --- operator ----------------------------------------------------------------------------------


def operator_todo(user: User, on: dt.date) -> Todo:
    ormas = registry_selectors.ormas_for(user).filter(pk=user.ormas_id).first()
    if ormas is None or not access.works_for_ormas(user):
        return Todo()
    return Todo(
        groups=_ordered(
            [
                _programmes_to_send(ormas, on),
                _reports_owed(ormas, on),
                _assessment_dates(user, ormas, on),
                _profile(ormas, on),
            ]
        )
    )


def _programmes_to_send(ormas: Ormas, on: dt.date) -> TodoGroup:
    group = TodoGroup("programmes", _("Program kerja"))
    programmes = Programme.objects.filter(
        ormas=ormas,
        state__in=[ProgrammeState.DRAFT, ProgrammeState.RETURNED],
        period__state=PeriodState.OPEN,
    ).select_related("period")
    for programme in programmes:
        due = programme.period.programme_due
        if programme.state == ProgrammeState.RETURNED:
            title = _("Perbaiki dan ajukan lagi program “%(title)s”")
            detail = _("Dikembalikan Kesbangpol: %(note)s") % {
                "note": Truncator(programme.review_note).chars(120)
            }
        else:
            title, detail = _("Ajukan program “%(title)s”"), ""
        group.items.append(
            TodoItem(
                title=title % {"title": programme.title},
                url=_url("planning:programme_detail", programme.uuid),
                date=due,
                date_label=_("batas pengajuan"),
                detail=detail,
                overdue=due < on,
            )
        )
    return group


def _reports_owed(ormas: Ormas, on: dt.date) -> TodoGroup:
    group = TodoGroup("reports", _("Laporan kegiatan"))
    accepted = Programme.objects.filter(
        ormas=ormas,
        state=ProgrammeState.ACCEPTED,
        period__state__in=reporting_selectors.REMINDER_PERIOD_STATES,
    )
    for obligation in reporting_selectors.obligations(accepted, on=on):
        status = obligation.status
        names = {"programme": obligation.programme.title, "window": obligation.window.label}
        url = _url("reporting:report_create", query=f"program={obligation.programme.uuid}")
        if status == DueStatus.MISSING:
            group.items.append(
                TodoItem(
                    title=_("Laporan “%(programme)s” — %(window)s terlambat") % names,
                    url=url,
                    date=obligation.due,
                    date_label=_("batas"),
                    detail=_("Terlambat %(days)s hari") % {"days": obligation.days_overdue},
                    overdue=True,
                )
            )
        elif (
            status == DueStatus.NOT_YET_DUE
            and obligation.days_left <= reporting_selectors.UPCOMING_DAYS
        ):
            group.items.append(
                TodoItem(
                    title=_("Laporkan “%(programme)s” — %(window)s") % names,
                    url=url,
                    date=obligation.due,
                    date_label=_("batas"),
                )
            )
    returned = list(
        ActivityReport.objects.filter(programme__ormas=ormas, state=ReportState.RETURNED)
    )
    if returned:
        returned_at = dict(
            StateChange.objects.filter(
                content_type=ContentType.objects.get_for_model(ActivityReport),
                object_id__in=[report.pk for report in returned],
                action="return",
            )
            .values("object_id")
            .annotate(last=Max("at"))
            .values_list("object_id", "last")
        )
        for report in returned:
            group.items.append(
                TodoItem(
                    title=_("Perbaiki laporan “%(title)s” yang dikembalikan")
                    % {"title": report.title},
                    url=_url("reporting:report_detail", report.uuid),
                    date=_local(returned_at.get(report.pk)),
                    date_label=_("dikembalikan"),
                    detail=Truncator(report.return_reason).chars(120),
                )
            )
    return group


def _assessment_dates(user: User, ormas: Ormas, on: dt.date) -> TodoGroup:
    group = TodoGroup("assessment", _("Penilaian kinerja"))
    assessments = (
        Assessment.objects.filter(ormas=ormas, state__in=[A.DRAFT, A.PUBLISHED])
        .select_related("period")
        .annotate(appealed=Exists(Appeal.objects.filter(assessment=OuterRef("pk"))))
    )
    for assessment in assessments:
        period = assessment.period
        url = _url("assessment:detail", assessment.uuid)
        if assessment.state == A.DRAFT and period.state in SELF_ASSESSMENT_PERIOD_STATES:
            due = period.self_assessment_due
            group.items.append(
                TodoItem(
                    title=_("Isi dan ajukan penilaian mandiri “%(period)s”")
                    % {"period": period.name},
                    url=url,
                    date=due,
                    date_label=_("batas"),
                    overdue=bool(due and due < on),
                )
            )
        elif (
            assessment.state == A.PUBLISHED
            and assessment.appeal_until
            and assessment.appeal_until >= on
            and not assessment.appealed
        ):
            group.items.append(
                TodoItem(
                    title=_(
                        "Hasil penilaian “%(period)s” diumumkan: periksa, ajukan keberatan "
                        "bila perlu"
                    )
                    % {"period": period.name},
                    url=url,
                    date=assessment.appeal_until,
                    date_label=_("batas keberatan"),
                )
            )
    startable = (
        assessment_selectors.assessment_periods(user)
        .filter(state__in=SELF_ASSESSMENT_PERIOD_STATES)
        .exclude(pk__in=Assessment.objects.filter(ormas=ormas).values("period_id"))
    )
    for period in startable:
        due = period.self_assessment_due
        group.items.append(
            TodoItem(
                title=_("Mulai penilaian mandiri “%(period)s”") % {"period": period.name},
                url=_url("assessment:list", query=f"periode={period.pk}"),
                date=due,
                date_label=_("batas"),
                overdue=bool(due and due < on),
            )
        )
    return group


def _profile(ormas: Ormas, on: dt.date) -> TodoGroup:
    group = TodoGroup("profile", _("Profil ormas"))
    url = _url("registry:detail", ormas.uuid)
    if ormas.validity == Validity.AKAN_HABIS:
        group.items.append(
            TodoItem(
                title=_("SKT %(number)s segera berakhir: siapkan perpanjangannya")
                % {"number": ormas.skt_number},
                url=url,
                date=ormas.skt_expires,
                date_label=_("berlaku sampai"),
            )
        )
    elif ormas.validity == Validity.KEDALUWARSA:
        group.items.append(
            TodoItem(
                title=_("SKT %(number)s sudah kedaluwarsa") % {"number": ormas.skt_number},
                url=url,
                date=ormas.skt_expires,
                date_label=_("berlaku sampai"),
                overdue=True,
            )
        )
    chair_terms = list(
        Pengurus.objects.filter(ormas=ormas, position=Position.KETUA).values_list(
            "term_end", flat=True
        )
    )
    warn_until = on + dt.timedelta(days=settings.SIPKO_EXPIRY_WARNING_DAYS)
    if chair_terms and None not in chair_terms and max(chair_terms) <= warn_until:
        term_end = max(chair_terms)
        ended = term_end < on
        group.items.append(
            TodoItem(
                title=_("Masa bakti pengurus sudah berakhir: perbarui susunan pengurus")
                if ended
                else _("Masa bakti pengurus segera berakhir"),
                url=url,
                date=term_end,
                date_label=_("berakhir"),
                overdue=ended,
            )
        )
    completeness = profile_completeness(
        ormas,
        documents=list(
            Document.objects.filter(ormas=ormas).values_list(
                "doc_type", "verdict", "expires", "file"
            )
        ),
        has_chair=bool(chair_terms),
        has_bidang=ormas.bidang.exists(),
        on=on,
    )
    if completeness.missing:
        group.items.append(
            TodoItem(
                title=_("Kelengkapan profil %(percent)s %%") % {"percent": completeness.percent},
                url=url,
                detail=_("Belum ada: %(missing)s") % {"missing": ", ".join(completeness.missing)},
            )
        )
    return group


# What a complete profile holds (docs/accounts.md): these fields of the ormas…
PROFILE_FIELDS = ("address", "phone", "email", "founding_year", "members_count", "office", "npwp")
# … and these documents, each uploaded, not judged invalid and not expired.
PROFILE_DOCUMENTS = (DocumentType.AD_ART, DocumentType.SK_KEPENGURUSAN, DocumentType.SURAT_DOMISILI)


def required_documents(ormas: Ormas) -> list[str]:
    """The documents a complete profile holds: the three every ormas has, its registration
    letter (SK AHU or SKT, whichever it holds) and, for a legal entity, the notarial deed."""
    required = list(PROFILE_DOCUMENTS)
    if ormas.ahu_number:
        required.append(DocumentType.SK_AHU)
    elif ormas.skt_number:
        required.append(DocumentType.SKT)
    if ormas.legal_form in (LegalForm.PERKUMPULAN, LegalForm.YAYASAN):
        required.append(DocumentType.AKTA_NOTARIS)
    return required


def profile_completeness(
    ormas: Ormas,
    *,
    documents: list[tuple[str, str, dt.date | None, str]],
    has_chair: bool,
    has_bidang: bool,
    on: dt.date,
) -> Completeness:
    """Completeness of the profile from the ormas' fields and its documents (doc_type, verdict,
    expires, file) — pure, so the rule can be read and tested on its own."""
    missing: list[str] = []
    for name in PROFILE_FIELDS:
        if getattr(ormas, name) in (None, ""):
            missing.append(str(Ormas._meta.get_field(name).verbose_name))
    if not has_bidang:
        missing.append(_("bidang"))
    if not has_chair:
        missing.append(_("ketua dalam susunan pengurus"))
    usable = {
        doc_type
        for doc_type, verdict, expires, file in documents
        if file and verdict != Verdict.INVALID and (expires is None or expires >= on)
    }
    documents_required = required_documents(ormas)
    for doc_type in documents_required:
        if doc_type not in usable:
            missing.append(str(DocumentType(doc_type).label))
    required = len(PROFILE_FIELDS) + 2 + len(documents_required)
    return Completeness(done=required - len(missing), required=required, missing=missing)


# --- assessor ----------------------------------------------------------------------------------


def assessor_todo(user: User, on: dt.date) -> Todo:
    group = TodoGroup("verification", _("Penilaian menunggu verifikasi"))
    for assessment in assessment_selectors.verification_queue(user):
        due = assessment.period.verification_due
        group.items.append(
            TodoItem(
                title=_("Verifikasi %(ormas)s — %(period)s")
                % {"ormas": assessment.ormas.name, "period": assessment.period.name},
                url=_url("assessment:detail", assessment.uuid),
                date=due,
                date_label=_("batas verifikasi"),
                detail=_("Diajukan %(date)s") % {"date": _date(assessment.submitted_at)}
                if assessment.submitted_at
                else "",
                overdue=bool(due and due < on),
            )
        )
    return Todo(groups=_ordered([group]))


def _date(moment: dt.datetime) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localdate(moment), "DATE_FORMAT")


# --- region admin ------------------------------------------------------------------------------


def _limited(group: TodoGroup, queryset: Any, item: Callable[[Any], TodoItem]) -> TodoGroup:
    """The first LIMIT rows as items; the total counted only when there may be more."""
    rows = list(queryset[:LIMIT])
    group.items = [item(row) for row in rows]
    group.total = queryset.count() if len(rows) == LIMIT else len(rows)
    return group


def region_admin_todo(user: User, on: dt.date) -> Todo:
    submitted = _("diajukan")
    programmes = _limited(
        TodoGroup(
            "programme_review",
            _("Program kerja menunggu tinjauan"),
            more_url=_url("planning:programme_list", query="state=submitted"),
        ),
        planning_selectors.review_queue(user).order_by("submitted_at", "pk"),
        lambda p: TodoItem(
            title=_("Tinjau “%(title)s” — %(ormas)s") % {"title": p.title, "ormas": p.ormas.name},
            url=_url("planning:programme_review", p.uuid),
            date=_local(p.submitted_at),
            date_label=submitted,
        ),
    )
    reports = _limited(
        TodoGroup(
            "report_review",
            _("Laporan kegiatan menunggu verifikasi"),
            more_url=_url("reporting:report_list", query="state=submitted"),
        ),
        access.reports_visible_to(user)
        .filter(state=ReportState.SUBMITTED)
        .select_related("programme__ormas")
        .order_by("submitted_at", "pk"),
        lambda r: TodoItem(
            title=_("Verifikasi “%(title)s” — %(ormas)s")
            % {"title": r.title, "ormas": r.programme.ormas.name},
            url=_url("reporting:report_detail", r.uuid),
            date=_local(r.submitted_at),
            date_label=submitted,
        ),
    )
    documents = _limited(
        TodoGroup("documents", _("Dokumen menunggu verifikasi")),
        access.documents_visible_to(user)
        .filter(verdict=Verdict.PENDING, ormas__merged_into__isnull=True)
        .exclude(file="")
        .values("ormas__uuid", "ormas__name")
        .annotate(n=Count("pk"), oldest=Min("uploaded_at"))
        .order_by("oldest", "ormas__name"),
        lambda row: TodoItem(
            title=_("Periksa %(n)s dokumen %(ormas)s")
            % {"n": row["n"], "ormas": row["ormas__name"]},
            url=_url("registry:detail", row["ormas__uuid"]),
            date=_local(row["oldest"]),
            date_label=_("diunggah"),
        ),
    )
    appeals = _limited(
        TodoGroup("appeals", _("Keberatan menunggu keputusan")),
        _appeals_to_decide(user),
        lambda a: TodoItem(
            title=_("Putuskan keberatan %(ormas)s — %(period)s")
            % {"ormas": a.assessment.ormas.name, "period": a.assessment.period.name},
            url=_url("assessment:appeal_decide", a.assessment.uuid),
            date=_local(a.filed_at),
            date_label=submitted,
        ),
    )
    imports = _limited(
        TodoGroup("imports", _("Impor registri selesai")),
        ImportJob.objects.filter(
            created_by=user,
            finished_at__gte=timezone.now() - dt.timedelta(days=IMPORT_DAYS),
        ).order_by("-finished_at"),
        lambda job: TodoItem(
            title=_("Impor “%(file)s”: %(status)s")
            % {"file": job.original_name, "status": job.get_status_display().lower()},
            url=_url("registry:import_status", job.uuid),
            date=_local(job.finished_at),
            date_label=_("selesai"),
        ),
    )
    return Todo(
        groups=_ordered(
            [programmes, reports, documents, appeals, imports, _expiring(user), _inactive(user)]
        )
    )


def _appeals_to_decide(user: User) -> Any:
    """Pending appeals the user may decide: `access.can_decide_appeal` as one query (no part in
    verifying the result)."""
    return (
        Appeal.objects.filter(
            state=AppealState.PENDING,
            assessment__in=access.assessments_visible_to(user).filter(state=A.APPEAL),
        )
        .exclude(assessment__assessor=user)
        .exclude(assessment__second_assessor=user)
        .exclude(assessment__answers__verified_by=user)
        .exclude(assessment__answers__second_by=user)
        .exclude(assessment__answers__final_by=user)
        .select_related("assessment__ormas", "assessment__period")
        .order_by("filed_at", "pk")
    )


def _expiring(user: User) -> TodoGroup:
    group = TodoGroup("expiring", _("Masa berlaku SKT"))
    rows = (
        registry_selectors.ormas_for(user)
        .filter(validity__in=[Validity.AKAN_HABIS, Validity.KEDALUWARSA])
        .order_by()
        .values("validity")
        .annotate(n=Count("pk"), soonest=Min("skt_expires"), latest=Max("skt_expires"))
    )
    url = _url("registry:expiring")
    for row in rows:
        if row["validity"] == Validity.AKAN_HABIS:
            group.items.append(
                TodoItem(
                    title=_("%(n)s ormas dengan SKT akan habis") % {"n": row["n"]},
                    url=url,
                    date=row["soonest"],
                    date_label=_("paling awal"),
                )
            )
        else:
            group.items.append(
                TodoItem(
                    title=_("%(n)s ormas dengan SKT kedaluwarsa") % {"n": row["n"]},
                    url=url,
                    date=row["latest"],
                    date_label=_("terakhir berakhir"),
                    overdue=True,
                )
            )
    return group


def _inactive(user: User) -> TodoGroup:
    group = TodoGroup("never_activated", _("Akun operator"))
    count = never_activated(user).count()
    if count:
        try:
            url = _url("users:list", query=NEVER_ACTIVATED_QUERY)
        except NoReverseMatch:
            url = ""
        group.items.append(
            TodoItem(
                title=_("%(n)s operator belum pernah masuk ke SIPKO") % {"n": count},
                url=url,
                detail=_("Bagikan atau terbitkan ulang kode aktivasinya."),
            )
        )
    return group


# --- viewer and national admin -------------------------------------------------------------------


def headline_todo(user: User, on: dt.date) -> Todo:
    """The region's headline figures (ormas by validity, reporting compliance, published results
    by predicate), from the selectors the registry, compliance and assessment pages use."""
    figures: list[Figure] = []
    counts = registry_selectors.registry_counts(user)
    registry_url = _url("registry:list")
    figures.append(Figure(_("Ormas terdaftar"), _number(counts["total"]), url=registry_url))
    for value, label, n in counts["by_validity"]:
        if n:
            figures.append(
                Figure(str(label), _number(n), url=_url("registry:list", query=f"validity={value}"))
            )

    tally = ComplianceTally()
    programmes = access.programmes_visible_to(user).filter(
        state=ProgrammeState.ACCEPTED,
        period__state__in=reporting_selectors.REMINDER_PERIOD_STATES,
        ormas__merged_into__isnull=True,
    )
    for obligation in reporting_selectors.obligations(programmes, on=on):
        tally.add(obligation)
    compliance_url = _url("reporting:compliance") if access.can_see_compliance(user) else ""
    figures.append(
        Figure(
            _("Laporan tepat waktu"),
            f"{number_format(tally.percent, 1)} %" if tally.percent is not None else "—",
            detail=_(
                "%(on_time)s tepat waktu, %(late)s terlambat, %(missing)s belum dilaporkan dari "
                "%(due)s laporan yang jatuh tempo"
            )
            % {
                "on_time": tally.on_time,
                "late": tally.late,
                "missing": tally.missing,
                "due": tally.due,
            },
            url=compliance_url,
        )
    )

    published = access.assessments_visible_to(user).filter(state__in=PUBLIC_STATES)
    latest = (
        published.order_by("-period__start", "-period_id")
        .values_list("period_id", flat=True)
        .first()
    )
    if latest is not None:
        url = _url("assessment:list", query=f"periode={latest}")
        bands = assessment_selectors.predicate_counts(published.filter(period_id=latest))
        for _code, label, n in bands:
            figures.append(Figure(_("Predikat %(label)s") % {"label": label}, _number(n), url=url))
    return Todo(figures=figures, figures_title=_("Angka utama wilayah"))


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


ROLE_TODO: dict[str, Callable[[Any, dt.date], Todo]] = {
    Role.OPERATOR: operator_todo,
    Role.ASSESSOR: assessor_todo,
    Role.REGION_ADMIN: region_admin_todo,
    Role.VIEWER: headline_todo,
    Role.NATIONAL_ADMIN: headline_todo,
}
