"""What happened to something of a user's, and who is told (docs/accounts.md#notifications).

The services of the other apps call one of these after the state change, inside their
transaction: a rolled-back change leaves no notification and sends no e-mail. Messages name the
programme, report, document or period, never a person, so they can go out by e-mail as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sipko.accounts import access
from sipko.inbox.models import Notification
from sipko.inbox.services import notify

if TYPE_CHECKING:
    from sipko.accounts.models import User
    from sipko.assessment.models import Appeal, Assessment
    from sipko.planning.models import Programme
    from sipko.registry.models import Assignment, Document, Ormas
    from sipko.reporting.models import ActivityReport

Kind = Notification.Kind


def _tell_operators(ormas: Ormas, kind: str, message: str, url: str) -> None:
    for operator in access.ormas_operators([ormas.pk]):
        notify(operator, kind, message, url)


def _reviewed(
    ormas: Ormas, state: str, texts: dict[str, tuple[str, str]], title: str, url: str
) -> None:
    """A review's outcome, told to the ormas' operators when `state` is one of `texts`
    (state → kind and message with `%(title)s`); other states tell nobody."""
    if state not in texts:
        return
    kind, text = texts[state]
    with translation.override(settings.LANGUAGE_CODE):
        message = _(text) % {"title": title}
    _tell_operators(ormas, kind, message, url)


def programme_reviewed(programme: Programme) -> None:
    """Accepted or returned by Kesbangpol: the ormas' operators."""
    from sipko.planning.models import ProgrammeState

    texts = {
        ProgrammeState.ACCEPTED: (
            Kind.ACCEPTED,
            gettext_noop("Program kerja “%(title)s” diterima Kesbangpol."),
        ),
        ProgrammeState.RETURNED: (
            Kind.RETURNED,
            gettext_noop("Program kerja “%(title)s” dikembalikan untuk diperbaiki."),
        ),
    }
    url = reverse("planning:programme_detail", args=[programme.uuid])
    _reviewed(programme.ormas, programme.state, texts, programme.title, url)


def report_reviewed(report: ActivityReport) -> None:
    """Verified or returned: the ormas' operators."""
    from sipko.reporting.models import ReportState

    texts = {
        ReportState.VERIFIED: (
            Kind.VERIFIED,
            gettext_noop("Laporan kegiatan “%(title)s” diverifikasi Kesbangpol."),
        ),
        ReportState.RETURNED: (
            Kind.RETURNED,
            gettext_noop("Laporan kegiatan “%(title)s” dikembalikan untuk diperbaiki."),
        ),
    }
    url = reverse("reporting:report_detail", args=[report.uuid])
    _reviewed(report.programme.ormas, report.state, texts, report.title, url)


def document_verified(document: Document) -> None:
    """A verdict on a registry document: the ormas' operators."""
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Dokumen %(document)s sudah diperiksa: %(verdict)s.") % {
            "document": document.get_doc_type_display(),
            "verdict": document.get_verdict_display().lower(),
        }
    url = reverse("registry:detail", args=[document.ormas.uuid])
    _tell_operators(document.ormas, Kind.VERIFIED, message, url)


def _assessment_url(assessment: Assessment) -> str:
    return reverse("assessment:detail", args=[assessment.uuid])


def assessment_returned(assessment: Assessment) -> None:
    """The self-assessment sent back to the ormas for corrections."""
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Penilaian mandiri “%(period)s” dikembalikan untuk diperbaiki.") % {
            "period": assessment.period.name
        }
    _tell_operators(assessment.ormas, Kind.RETURNED, message, _assessment_url(assessment))


def assessment_verified(assessment: Assessment) -> None:
    """Verification finished (not when it goes to reconciliation instead). No score: the result
    is the ormas' to see once published."""
    from sipko.assessment.models import AssessmentState

    if assessment.state != AssessmentState.VERIFIED:
        return
    with translation.override(settings.LANGUAGE_CODE):
        message = _(
            "Penilaian kinerja “%(period)s” selesai diverifikasi; hasilnya menunggu diumumkan."
        ) % {"period": assessment.period.name}
    _tell_operators(assessment.ormas, Kind.VERIFIED, message, _assessment_url(assessment))


def result_published(assessment: Assessment) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Hasil penilaian kinerja “%(period)s” diumumkan.") % {
            "period": assessment.period.name
        }
        if assessment.appeal_until:
            message += " " + _("Keberatan dapat diajukan sampai %(date)s.") % {
                "date": formats.date_format(assessment.appeal_until, "DATE_FORMAT")
            }
    _tell_operators(assessment.ormas, Kind.PUBLISHED, message, _assessment_url(assessment))


def appeal_decided(appeal: Appeal) -> None:
    assessment = appeal.assessment
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Keberatan atas hasil penilaian “%(period)s” diputuskan: %(decision)s.") % {
            "period": assessment.period.name,
            "decision": appeal.get_state_display().lower(),
        }
    _tell_operators(assessment.ormas, Kind.DECIDED, message, _assessment_url(assessment))


def assessors_assigned(
    assessment: Assessment, assessor: User, second_assessor: User | None
) -> None:
    """Call before the assessment takes the new assessors: those it did not have yet are told."""
    from sipko.assessment.models import AssessmentState

    before = {assessment.assessor_id, assessment.second_assessor_id}
    # An assessor sees an assessment once the ormas has submitted it (`assessments_visible_to`).
    if assessment.state == AssessmentState.DRAFT:
        url = reverse("assessment:list")
    else:
        url = _assessment_url(assessment)
    for person in filter(None, (assessor, second_assessor)):
        if person.pk in before:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            message = _("Anda ditugaskan menilai %(ormas)s pada “%(period)s”.") % {
                "ormas": assessment.ormas.name,
                "period": assessment.period.name,
            }
        notify(person, Kind.ASSIGNED, message, url)


def ormas_assigned(assignment: Assignment, *, created: bool) -> None:
    """An assessor newly assigned to an ormas (verdicts on its documents and reports)."""
    if not created:
        return
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Anda ditugaskan sebagai penilai %(ormas)s.") % {"ormas": assignment.ormas.name}
    notify(
        assignment.assessor,
        Kind.ASSIGNED,
        message,
        reverse("registry:detail", args=[assignment.ormas.uuid]),
    )
