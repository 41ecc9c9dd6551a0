"""Writes of performance assessment: instruments, answers, verification, publication, appeals.

Every function takes the acting user, checks the right through `accounts.access`, validates
before saving, runs in one transaction and leaves an audit row (django-simple-history) and, for
state changes, a `StateChange` through the workflow engine. Scores are recomputed here, at once,
whenever an answer that counts changes (SPEC §3.5); the arithmetic itself is `scoring`'s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sipko.accounts import access
from sipko.assessment import scoring, selectors, system_indicators
from sipko.assessment.models import (
    Answer,
    AnswerFile,
    Appeal,
    AppealFile,
    AppealState,
    Assessment,
    AssessmentState,
    EligibilityRule,
    FollowUp,
    FollowUpState,
    Instrument,
    InstrumentStatus,
    PeriodStandard,
    PrivateFile,
)
from sipko.assessment.workflows import ASSESSMENT_WORKFLOW, SELF_EDITABLE, VERIFIABLE
from sipko.inbox import events
from sipko.lib.audit import audited
from sipko.lib.locking import lock, save_new
from sipko.lib.uploads import DOCUMENT_TYPES, check_upload
from sipko.planning.models import Period, PeriodState
from sipko.planning.services import ensure_not_frozen
from sipko.regions.models import ancestor_codes
from sipko.registry.models import Assignment, Ormas
from sipko.registry.services import assignment_problems
from sipko.workflow.engine import transition

if TYPE_CHECKING:
    from sipko.accounts.models import User
    from sipko.workflow.models import StateChange

_M = TypeVar("_M", bound="models.Model")
MAX_FILES_PER_ANSWER = 5
MAX_FILES_PER_APPEAL = 5
# Periods in which ormas may fill in and assessors verify.
ASSESSING_PERIOD_STATES = (PeriodState.OPEN, PeriodState.ASSESSMENT)
PUBLISHING_PERIOD_STATES = (PeriodState.ASSESSMENT, PeriodState.PUBLISHED)


def _problems_message(error: scoring.InstrumentError) -> list[str]:
    return [f"{p.path}: {p.message}" if p.path else p.message for p in error.problems]


# --- instruments -------------------------------------------------------------------------------


@transaction.atomic
def instrument_load(
    *, actor: User | None, text: str | bytes, region_code: str | None = None
) -> Instrument:
    """Load an instrument file as a draft (or replace a draft of the same code and version).

    A file that breaks the schema is refused with every problem listed; a published version is
    never overwritten: load it under a new version instead.
    """
    try:
        spec = scoring.load_instrument_yaml(text)
    except scoring.InstrumentError as exc:
        raise ValidationError(_problems_message(exc)) from exc
    if actor is not None:
        allowed = (
            access.can_manage_region(actor, region_code)
            if region_code
            else access.can_load_national_instruments(actor)
        )
        if not allowed:
            raise PermissionDenied
    # A code belongs to one owner (the nation or one region): a region cannot publish its own
    # "IKO-DEFAULT 2026.1" beside the national standard.
    owners = set(Instrument.objects.filter(code=spec.code).values_list("region_id", flat=True))
    if owners and owners != {region_code}:
        raise ValidationError(
            _("Kode instrumen %(code)s sudah dipakai oleh pemilik lain; pilih kode sendiri.")
            % {"code": spec.code}
        )
    instrument = (
        Instrument.objects.select_for_update().filter(code=spec.code, version=spec.version).first()
    )
    if instrument is not None and instrument.is_published:
        raise ValidationError(
            _(
                "Instrumen %(code)s versi %(version)s sudah diberlakukan dan tidak dapat diubah. "
                "Muat dengan nomor versi baru."
            )
            % {"code": spec.code, "version": spec.version}
        )
    if instrument is not None and instrument.region_id != region_code:
        raise ValidationError(
            _("Rancangan %(code)s versi %(version)s milik wilayah lain.")
            % {"code": spec.code, "version": spec.version}
        )
    instrument = instrument or Instrument(code=spec.code, version=spec.version, created_by=actor)
    instrument.name = spec.name
    instrument.definition = scoring.instrument_to_dict(spec)
    instrument.region_id = region_code
    instrument.__dict__.pop("spec", None)
    audited(instrument, actor, "dimuat dari berkas")
    save_new(  # the same new file loaded twice at once: one of them wins
        instrument,
        _("Instrumen %(code)s versi %(version)s baru saja dimuat; muat ulang halaman.")
        % {"code": spec.code, "version": spec.version},
    )
    return instrument


@transaction.atomic
def instrument_publish(*, actor: User | None, instrument: Instrument) -> Instrument:
    """Make a draft binding. From now on its definition is immutable."""
    if actor is not None and not access.can_manage_instrument(actor, instrument):
        raise PermissionDenied
    lock(instrument)
    if instrument.is_published:
        raise ValidationError(_("Instrumen ini sudah diberlakukan."))
    instrument.status = InstrumentStatus.PUBLISHED
    instrument.published_at = timezone.now()
    audited(instrument, actor, "diberlakukan")
    instrument.save()
    return instrument


@transaction.atomic
def instrument_new_version(*, actor: User, instrument: Instrument, version: str) -> Instrument:
    """A draft copy under a new version number: the only way to change a published standard."""
    if not access.can_manage_instrument(actor, instrument):
        raise PermissionDenied
    lock(instrument)  # two copies under the same new version at once: the second is refused
    version = version.strip()
    if not version or len(version) > 30 or not scoring.CODE_PATTERN.fullmatch(version):
        raise ValidationError(
            {
                "version": _(
                    "Isi nomor versi baru: paling panjang 30 karakter, hanya huruf, angka, titik, "
                    "garis bawah dan tanda hubung (mis. 2026.1)."
                )
            }
        )
    if Instrument.objects.filter(code=instrument.code, version=version).exists():
        raise ValidationError({"version": _("Versi ini sudah ada.")})
    definition = dict(instrument.definition, version=version)
    copy = Instrument(
        code=instrument.code,
        version=version,
        name=instrument.name,
        definition=definition,
        region_id=instrument.region_id,
        derived_from=instrument,
        created_by=actor,
    )
    audited(copy, actor, f"salinan dari {instrument.version}")
    save_new(copy, _("Versi ini baru saja dibuat; muat ulang halaman."))
    return copy


def instrument_export(instrument: Instrument) -> str:
    return scoring.dump_instrument_yaml(instrument.spec)


@transaction.atomic
def period_standard_set(*, actor: User, period: Period, instrument: Instrument) -> PeriodStandard:
    """Choose the instrument of a period; fixed once any ormas has submitted."""
    if not access.can_manage_region(actor, period.region_id):
        raise PermissionDenied
    if not instrument.is_published:
        raise ValidationError(_("Hanya instrumen yang sudah diberlakukan dapat dipakai."))
    if not access.instruments_visible_to(actor).filter(pk=instrument.pk).exists():
        raise PermissionDenied  # another region's own standard
    lock(period)
    ensure_not_frozen(period)
    if instrument.status == InstrumentStatus.RETIRED:
        raise ValidationError(_("Instrumen ini sudah tidak dipakai lagi."))
    started = period.assessments.exclude(state=AssessmentState.DRAFT)
    if started.exclude(instrument=instrument).exists():
        raise ValidationError(
            _("Instrumen tidak dapat diganti: sudah ada ormas yang mengajukan penilaian.")
        )
    standard, _created = PeriodStandard.objects.get_or_create(
        period=period, defaults={"instrument": instrument}
    )
    standard.instrument = instrument
    audited(standard, actor)
    standard.save()
    # Drafts follow the new instrument: their answers are re-created for its indicators.
    for assessment in period.assessments.filter(state=AssessmentState.DRAFT).exclude(
        instrument=instrument
    ):
        assessment.instrument = instrument
        assessment.save(update_fields=["instrument"])
        _sync_answers(assessment)
        assessment_rescore(assessment)
    return standard


# --- opening assessments and the ormas' own answers ------------------------------------------


def _standard_of(period: Period) -> Instrument:
    standard = PeriodStandard.objects.filter(period=period).select_related("instrument").first()
    if standard is None:
        raise ValidationError(_("Periode ini belum memiliki instrumen penilaian."))
    return standard.instrument


def _sync_answers(assessment: Assessment) -> None:
    """One answer row per indicator of the instrument; rows of other indicators are dropped."""
    codes = [i.code for i in assessment.instrument.spec.indicators]
    assessment.answers.exclude(indicator__in=codes).delete()
    have = set(assessment.answers.values_list("indicator", flat=True))
    Answer.objects.bulk_create(
        [Answer(assessment=assessment, indicator=c) for c in codes if c not in have]
    )


@transaction.atomic
def assessment_open(*, actor: User | None, ormas: Ormas, period: Period) -> Assessment:
    """The assessment of `ormas` in `period`, created (with system values) if it does not exist."""
    if actor is not None and not access.acts_for_ormas(actor, ormas):
        raise PermissionDenied
    if period.region_id not in ancestor_codes(ormas.region_id):
        raise ValidationError(_("Periode ini bukan periode wilayah ormas tersebut."))
    lock(period)  # one assessment per ormas and period, also when opened twice at once
    existing = Assessment.objects.filter(ormas=ormas, period=period).first()
    if existing is not None:
        return existing
    ensure_not_frozen(period)
    if period.state not in ASSESSING_PERIOD_STATES:
        raise ValidationError(
            _("Penilaian hanya dapat dibuka saat periode berstatus Dibuka atau Penilaian.")
        )
    assessment = Assessment(ormas=ormas, period=period, instrument=_standard_of(period))
    audited(assessment, actor, "dibuka")
    assessment.save()
    _sync_answers(assessment)
    refresh_system_values([assessment])
    assessment_rescore(assessment)
    return assessment


@transaction.atomic
def assessments_open_all(
    *, actor: User, period: Period, confirmed: Collection[int] | None = None
) -> int:
    """Open an assessment for every active, current ormas of the period's region. Returns count.

    Done in bulk (system values in one batch), so a whole kabupaten opens in one request.
    `confirmed`: the ids the user saw on the confirmation page; a list changed since is refused.
    """
    if not access.can_manage_region(actor, period.region_id):
        raise PermissionDenied
    lock(period)  # bulk actions on a period run one at a time; the second sees what the first did
    ensure_not_frozen(period)
    if problem := selectors.period_bulk_refusal(period, selectors.BULK_OPEN):
        raise ValidationError(problem)
    instrument = _standard_of(period)
    # The very list the confirmation page showed (assessment/selectors.py).
    ormas_list = _as_confirmed(list(selectors.ormas_to_open(period)), confirmed)
    created = []
    for ormas in ormas_list:
        assessment = Assessment(ormas=ormas, period=period, instrument=instrument)
        audited(assessment, actor, "dibuka")
        assessment.save()
        created.append(assessment)
    codes = [i.code for i in instrument.spec.indicators]
    Answer.objects.bulk_create(
        [Answer(assessment=a, indicator=code) for a in created for code in codes]
    )
    refresh_system_values(created)
    for assessment in created:
        assessment_rescore(assessment)
    return len(created)


def _check_self_editable(actor: User | None, assessment: Assessment) -> None:
    """Refuse unless the ormas may change its answers now. Locks the assessment first: every
    write to it or its answers holds that lock, so what is checked here (who is assigned, the
    state) is the committed row and stays true until commit."""
    lock(assessment)  # decide on the row as committed, not as the caller loaded it
    if actor is not None and not access.can_answer(actor, assessment):
        raise PermissionDenied
    ensure_not_frozen(assessment.period)
    if assessment.state not in SELF_EDITABLE:
        raise ValidationError(
            _("Penilaian berstatus %(state)s tidak dapat diubah oleh ormas.")
            % {"state": assessment.get_state_display()}
        )


def parse_for(indicator: scoring.Indicator, raw: str) -> scoring.Answer | None:
    """The engine's reading of a stored or typed value; None when unanswered."""
    if not raw.strip():
        return None
    return scoring.parse_answer(indicator, raw)


def _canonical(indicator: scoring.Indicator, raw: str, field: str = "value") -> str:
    try:
        parsed = parse_for(indicator, raw)
    except scoring.AnswerError as exc:
        raise ValidationError({field: str(exc)}) from exc
    return parsed.raw if parsed is not None else ""


@transaction.atomic
def answer_save(*, actor: User | None, answer: Answer, value: str, note: str = "") -> Answer:
    """The ormas' answer to a `self` indicator (or a note on any other one)."""
    assessment = answer.assessment
    _check_self_editable(actor, assessment)
    lock(answer)
    indicator = assessment.instrument.spec.indicator(answer.indicator)
    if indicator.source == "self":
        answer.value = _canonical(indicator, value)
    elif value.strip():
        raise ValidationError(
            {"value": _("Nilai indikator ini ditetapkan oleh penilai atau dihitung sistem.")}
        )
    answer.note = note.strip()
    answer.answered_by = actor
    answer.answered_at = timezone.now()
    audited(answer, actor)
    answer.save()
    assessment_rescore(assessment)
    return answer


@transaction.atomic
def answer_file_add(*, actor: User | None, answer: Answer, upload: UploadedFile) -> AnswerFile:
    _check_self_editable(actor, answer.assessment)
    if answer.files.count() >= MAX_FILES_PER_ANSWER:
        raise ValidationError(
            {"file": _("Paling banyak %(n)s berkas per indikator.") % {"n": MAX_FILES_PER_ANSWER}}
        )
    try:
        content_type = check_upload(upload, allowed=DOCUMENT_TYPES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    return _store(AnswerFile(answer=answer, uploaded_by=actor), upload, content_type)


def _store(item: PrivateFile, upload: UploadedFile, content_type: str) -> PrivateFile:
    """Save an upload already checked by `check_upload` under a random name, with its metadata."""
    upload.seek(0)
    item.content_type = content_type
    item.size = upload.size or 0
    item.original_name = (upload.name or "")[:255]
    item.file.save("berkas", ContentFile(upload.read()), save=False)
    item.save()
    return item


@transaction.atomic
def answer_file_remove(*, actor: User | None, item: AnswerFile) -> None:
    _check_self_editable(actor, item.answer.assessment)
    item.file.delete(save=False)
    item.delete()


def needs_evidence(indicator: scoring.Indicator, raw: str) -> bool:
    """Evidence backs a claim: an answered `self` indicator that scores above 0 needs a file.

    "No bank account" or "no office" claims nothing, so it needs no photo.
    """
    if not indicator.evidence or indicator.source != "self":
        return False
    answer = parse_for(indicator, raw)
    if answer is None or answer.na:
        return False
    return bool(scoring.normalised_score(indicator, answer))


def missing_evidence(assessment: Assessment, answers: Iterable[Answer] | None = None) -> list[str]:
    """Codes of answers that need evidence (see `needs_evidence`) but have none attached."""
    spec = assessment.instrument.spec
    with_files = set(
        AnswerFile.objects.filter(answer__assessment=assessment).values_list(
            "answer__indicator", flat=True
        )
    )
    return [
        a.indicator
        for a in (assessment.answers.all() if answers is None else answers)
        if a.indicator not in with_files and needs_evidence(spec.indicator(a.indicator), a.value)
    ]


@transaction.atomic
def assessment_submit(*, actor: User | None, assessment: Assessment) -> StateChange:
    """The ormas hands its self-assessment to Kesbangpol; answers needing evidence must have it."""
    _check_self_editable(actor, assessment)
    missing = missing_evidence(assessment)
    if missing:
        raise ValidationError(
            _("Lampirkan bukti dukung untuk indikator: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    refresh_system_values([assessment])

    def stamp() -> None:
        assessment.submitted_at = timezone.now()

    change = transition(assessment, ASSESSMENT_WORKFLOW, "submit", actor=actor, changes=stamp)
    assessment_rescore(assessment)
    return change


# --- system values ---------------------------------------------------------------------------


def refresh_system_values(assessments: Iterable[Assessment]) -> int:
    """Recompute the `system` answers of assessments still open to change. Returns rows changed.

    Values already verified are left alone: the assessor has judged them.
    """
    by_period: dict[int, list[Assessment]] = {}
    for assessment in assessments:
        if assessment.state in SELF_EDITABLE or assessment.state in VERIFIABLE:
            by_period.setdefault(assessment.period_id, []).append(assessment)
    changed = 0
    today = timezone.localdate()
    for group in by_period.values():
        period = group[0].period
        names = {
            i.system: i
            for a in group
            for i in a.instrument.spec.indicators
            if i.source == "system" and i.system
        }
        values = system_indicators.compute(names, [a.ormas for a in group], period, today=today)
        for assessment in group:
            spec = assessment.instrument.spec
            for answer in assessment.answers.filter(verified_at__isnull=True):
                indicator = spec.indicator(answer.indicator)
                if indicator.source != "system" or not indicator.system:
                    continue
                computed = values[assessment.ormas_id][indicator.system]
                raw = _canonical(indicator, computed.raw) if computed.raw else ""
                if (answer.value, answer.system_detail) != (raw, computed.detail[:300]):
                    answer.value = raw
                    answer.system_detail = computed.detail[:300]
                    answer.answered_at = timezone.now()
                    audited(answer, None, "dihitung sistem")
                    answer.save()
                    changed += 1
    return changed


# --- assigning assessors and verifying ---------------------------------------------------------


@transaction.atomic
def assessment_assign(
    *,
    actor: User,
    assessment: Assessment,
    assessor: User,
    second_assessor: User | None = None,
    declared: bool,
) -> Assessment:
    """Kesbangpol assigns the assessor (and optionally a second one), with the declaration that
    neither belongs to the ormas. Refused for an officer of the ormas, whatever is declared."""
    lock(assessment)
    if not access.can_manage_assessments(actor, assessment):
        raise PermissionDenied
    ensure_not_frozen(assessment.period)
    if assessment.state not in (AssessmentState.DRAFT, AssessmentState.SUBMITTED):
        raise ValidationError(_("Penilai hanya dapat diganti sebelum verifikasi selesai."))
    if not declared:
        raise ValidationError(
            {"declared": _("Centang pernyataan bebas konflik kepentingan untuk menugaskan.")}
        )
    problems: dict[str, list[str]] = {}
    for field, person in (("assessor", assessor), ("second_assessor", second_assessor)):
        if person is None:
            continue
        found = assignment_problems(assessor=person, ormas=assessment.ormas)
        if found:
            problems[field] = found
    if second_assessor is not None and second_assessor.pk == assessor.pk:
        problems.setdefault("second_assessor", []).append(
            _("Penilai kedua harus orang yang berbeda.")
        )
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    for person in filter(None, (assessor, second_assessor)):
        assignment, _created = Assignment.objects.get_or_create(
            assessor=person, ormas=assessment.ormas, defaults={"assigned_by": actor}
        )
        assignment.no_conflict_declared_at = now
        audited(assignment, actor, "pernyataan bebas konflik")
        assignment.save()
    changed_people = {assessment.assessor_id, assessment.second_assessor_id} != {
        assessor.pk,
        getattr(second_assessor, "pk", None),
    }
    events.assessors_assigned(assessment, assessor, second_assessor)
    assessment.assessor = assessor
    assessment.second_assessor = second_assessor
    audited(assessment, actor, "penugasan penilai")
    assessment.save()
    if changed_people:
        # A new assessor starts from the ormas' answers, not from somebody else's verdicts.
        assessment.answers.exclude(verified_by=assessor).update(
            verified_value="", verified_reason="", verified_by=None, verified_at=None
        )
        assessment.answers.exclude(second_by=second_assessor).update(
            second_value="", second_reason="", second_by=None, second_at=None
        )
    return assessment


def _check_verifiable(actor: User, assessment: Assessment) -> None:
    """Refuse unless `actor` may verify now; locks first (see `_check_self_editable`)."""
    lock(assessment)
    if not access.can_verify_answers(actor, assessment):
        raise PermissionDenied
    ensure_not_frozen(assessment.period)
    if assessment.state not in VERIFIABLE:
        raise ValidationError(
            _("Penilaian berstatus %(state)s tidak sedang diverifikasi.")
            % {"state": assessment.get_state_display()}
        )


@transaction.atomic
def answer_verify(*, actor: User, answer: Answer, value: str, reason: str = "") -> Answer:
    """An assessor accepts the ormas' value or sets another one, with a reason when it differs.

    The first assessor's value counts; the second assessor's is compared with it (a disagreement
    goes to reconciliation). The score is recomputed at once.
    """
    assessment = answer.assessment
    _check_verifiable(actor, assessment)
    lock(answer)
    indicator = assessment.instrument.spec.indicator(answer.indicator)
    canonical = _canonical(indicator, value)
    reason = reason.strip()
    if canonical != answer.value and indicator.source != "assessor" and not reason:
        raise ValidationError(
            {"reason": _("Tuliskan alasan karena nilai berbeda dari jawaban ormas.")}
        )
    if indicator.source == "assessor" and not canonical:
        raise ValidationError({"value": _("Indikator ini dinilai oleh penilai: isi nilainya.")})
    now = timezone.now()
    if actor.pk == assessment.assessor_id:
        answer.verified_value, answer.verified_reason = canonical, reason
        answer.verified_by, answer.verified_at = actor, now
    else:
        answer.second_value, answer.second_reason = canonical, reason
        answer.second_by, answer.second_at = actor, now
    audited(answer, actor, reason or "verifikasi")
    answer.save()
    assessment_rescore(assessment)
    return answer


@transaction.atomic
def assessment_complete(*, actor: User, assessment: Assessment) -> StateChange:
    """The first assessor closes verification; a disagreement between assessors goes to
    reconciliation instead."""
    lock(assessment)
    if actor.pk != assessment.assessor_id:
        raise PermissionDenied
    _check_verifiable(actor, assessment)
    disagree = any(a.disagreement for a in assessment.answers.all())
    action = "to_reconcile" if disagree else "complete"

    def stamp() -> None:
        if not disagree:
            assessment.verified_at = timezone.now()

    change = transition(assessment, ASSESSMENT_WORKFLOW, action, actor=actor, changes=stamp)
    assessment_rescore(assessment)
    events.assessment_verified(assessment)
    return change


@transaction.atomic
def assessment_return(*, actor: User, assessment: Assessment, reason: str) -> StateChange:
    """Back to the ormas for corrections (missing evidence, a misunderstanding), with a note."""
    lock(assessment)
    if not (
        access.can_verify_answers(actor, assessment)
        or access.can_manage_assessments(actor, assessment)
    ):
        raise PermissionDenied
    ensure_not_frozen(assessment.period)
    change = transition(assessment, ASSESSMENT_WORKFLOW, "return", actor=actor, reason=reason)
    events.assessment_returned(assessment)
    return change


@transaction.atomic
def answer_reconcile(*, actor: User, answer: Answer, value: str, reason: str) -> Answer:
    """Settle a disagreement between the assessors: the value that counts, with its reason."""
    assessment = answer.assessment
    lock(assessment)
    if not access.can_reconcile(actor, assessment):
        raise PermissionDenied
    lock(answer)
    ensure_not_frozen(assessment.period)
    if assessment.state != AssessmentState.RECONCILIATION:
        raise ValidationError(_("Penilaian ini tidak sedang direkonsiliasi."))
    if not reason.strip():
        raise ValidationError({"reason": _("Alasan rekonsiliasi wajib diisi.")})
    indicator = assessment.instrument.spec.indicator(answer.indicator)
    answer.final_value = _canonical(indicator, value)
    answer.final_reason = reason.strip()
    answer.final_by, answer.final_at = actor, timezone.now()
    audited(answer, actor, "rekonsiliasi")
    answer.save()
    assessment_rescore(assessment)
    return answer


@transaction.atomic
def assessment_reconciled(*, actor: User, assessment: Assessment) -> StateChange:
    lock(assessment)
    if not access.can_reconcile(actor, assessment):
        raise PermissionDenied
    ensure_not_frozen(assessment.period)

    def stamp() -> None:
        assessment.verified_at = timezone.now()

    change = transition(assessment, ASSESSMENT_WORKFLOW, "reconcile", actor=actor, changes=stamp)
    assessment_rescore(assessment)
    events.assessment_verified(assessment)
    return change


# --- publication, appeal, final ----------------------------------------------------------------


def appeal_deadline(period: Period, published_on: dt.date) -> dt.date:
    """The period's appeal date if it is still ahead, else a fixed number of days."""
    days = dt.timedelta(days=settings.SIPKO_APPEAL_DAYS)
    if period.appeal_due and period.appeal_due >= published_on + dt.timedelta(days=7):
        return period.appeal_due
    return published_on + days


@transaction.atomic
def assessment_publish(*, actor: User, assessment: Assessment) -> StateChange:
    """Publish a verified result: its inputs are hashed and it is frozen from now on."""
    lock(assessment)
    if not access.can_manage_assessments(actor, assessment):
        raise PermissionDenied
    ensure_not_frozen(assessment.period)
    if assessment.period.state not in PUBLISHING_PERIOD_STATES:
        raise ValidationError(
            _("Hasil hanya dapat diumumkan saat periode berstatus Penilaian atau Diumumkan.")
        )
    assessment_rescore(assessment)

    def stamp() -> None:
        now = timezone.now()
        assessment.published_at = now
        assessment.published_by = actor
        assessment.appeal_until = appeal_deadline(assessment.period, timezone.localdate(now))

    change = transition(assessment, ASSESSMENT_WORKFLOW, "publish", actor=actor, changes=stamp)
    events.result_published(assessment)
    return change


def _check_bulk_actor(actor: User | None, period: Period) -> None:
    """Bulk moves on a period: an administrator who reaches the period (each result is then
    checked on its own, so a kab/kota admin acts only on its ormas in a provincial period)."""
    if actor is None:
        return
    reachable = access.periods_visible_to(actor).filter(pk=period.pk).exists()
    if not (access.can_administer_registry(actor) and reachable):
        raise PermissionDenied


@transaction.atomic
def _as_confirmed(items: list[_M], confirmed: Collection[int] | None) -> list[_M]:
    """`items` if they are what the user confirmed (checked under the period's lock)."""
    if confirmed is not None and {item.pk for item in items} != set(confirmed):
        raise ValidationError(
            _("Daftar berubah sejak halaman ini dibuka. Periksa lagi sebelum melanjutkan."),
            code="list_changed",
        )
    return items


def assessments_publish_all(
    *, actor: User, period: Period, confirmed: Collection[int] | None = None
) -> int:
    """Publish every verified assessment of the period the actor manages. Returns count.

    Acts on `selectors.assessments_to_publish`, the list its confirmation page shows.
    """
    _check_bulk_actor(actor, period)
    lock(period)  # see `assessments_open_all`
    chosen = _as_confirmed(selectors.assessments_to_publish(actor, period), confirmed)
    if chosen and (problem := selectors.period_bulk_refusal(period, selectors.BULK_PUBLISH)):
        raise ValidationError(problem)
    for assessment in chosen:
        assessment_publish(actor=actor, assessment=assessment)
    return len(chosen)


@transaction.atomic
def appeal_file(
    *,
    actor: User,
    assessment: Assessment,
    grounds: str,
    indicators: Iterable[str] = (),
    uploads: Iterable[UploadedFile] = (),
) -> Appeal:
    """The ormas objects to its published result, within the window, with grounds."""
    lock(assessment)
    if not access.can_appeal(actor, assessment):
        raise PermissionDenied
    ensure_not_frozen(assessment.period)
    grounds = grounds.strip()
    if len(grounds) < 20:
        raise ValidationError(
            {"grounds": _("Uraikan alasan keberatan dengan jelas (paling sedikit 20 karakter).")}
        )
    codes = [i.code for i in assessment.instrument.spec.indicators]
    chosen = [c for c in indicators if c]
    unknown = [c for c in chosen if c not in codes]
    if unknown:
        raise ValidationError(
            {"indicators": _("Indikator tidak dikenal: %(c)s.") % {"c": ", ".join(unknown)}}
        )
    files = list(uploads)
    if len(files) > MAX_FILES_PER_APPEAL:
        raise ValidationError(
            {"files": _("Paling banyak %(n)s lampiran.") % {"n": MAX_FILES_PER_APPEAL}}
        )
    checked = []
    for upload in files:
        try:
            checked.append((upload, check_upload(upload, allowed=DOCUMENT_TYPES)))
        except ValidationError as exc:
            raise ValidationError({"files": [f"{upload.name}: {m}" for m in exc.messages]}) from exc
    # The grounds stay on the appeal, shown only to its parties; the state log is read more widely.
    transition(assessment, ASSESSMENT_WORKFLOW, "appeal", actor=actor)
    appeal = Appeal(
        assessment=assessment,
        grounds=grounds,
        indicators=chosen,
        filed_by=actor,
        index_before=assessment.index,
        predicate_before=assessment.predicate,
    )
    audited(appeal, actor)
    appeal.save()
    for upload, content_type in checked:
        _store(AppealFile(appeal=appeal), upload, content_type)
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    actor: User,
    appeal: Appeal,
    decision: str,
    reason: str,
    changes: Mapping[str, str] | None = None,
) -> Appeal:
    """A reviewer who did not verify the result decides, with reasons; granted changes are applied
    to the answers and the result is recomputed, re-hashed and becomes final."""
    assessment = appeal.assessment
    lock(assessment)
    if not access.can_decide_appeal(actor, assessment):
        raise PermissionDenied
    lock(appeal)
    ensure_not_frozen(assessment.period)
    if appeal.state != AppealState.PENDING:
        raise ValidationError(_("Keberatan ini sudah diputuskan."))
    if decision not in (AppealState.GRANTED, AppealState.PARTLY, AppealState.REJECTED):
        raise ValidationError({"decision": _("Pilih keputusan.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Pertimbangan keputusan wajib diisi.")})
    changes = {code: value for code, value in (changes or {}).items() if value.strip()}
    if decision == AppealState.REJECTED and changes:
        raise ValidationError(_("Keberatan yang ditolak tidak mengubah nilai."))
    if decision != AppealState.REJECTED and not changes:
        raise ValidationError(
            _("Keberatan yang diterima harus mengubah paling sedikit satu nilai.")
        )
    spec = assessment.instrument.spec
    answers = {a.indicator: a for a in assessment.answers.all()}
    now = timezone.now()
    errors: dict[str, str] = {}
    for code, value in changes.items():
        if code not in answers:
            errors[code] = _("Indikator tidak dikenal.")
            continue
        try:
            canonical = _canonical(spec.indicator(code), value)
        except ValidationError as exc:
            errors[code] = exc.messages[0]
            continue
        answer = answers[code]
        answer.final_value = canonical
        answer.final_reason = _("Keputusan keberatan: %(reason)s") % {"reason": reason}
        answer.final_by, answer.final_at = actor, now
        audited(answer, actor, "keputusan keberatan")
        answer.save()
    if errors:
        raise ValidationError(errors)
    appeal.state = decision
    appeal.reviewer = actor
    appeal.decision_reason = reason
    appeal.decided_at = now
    audited(appeal, actor)
    appeal.save()

    def rescore_and_stamp() -> None:
        _score_into(assessment)
        assessment.finalised_at = now

    transition(
        assessment,
        ASSESSMENT_WORKFLOW,
        "decide",
        actor=actor,
        reason=reason,
        changes=rescore_and_stamp,
    )
    events.appeal_decided(appeal)
    return appeal


@transaction.atomic
def assessment_finalise(*, actor: User | None, assessment: Assessment) -> StateChange:
    """A published result whose appeal window closed without an appeal becomes final."""
    lock(assessment)
    if actor is not None and not access.can_manage_assessments(actor, assessment):
        raise PermissionDenied
    ensure_not_frozen(assessment.period)

    def stamp() -> None:
        assessment.finalised_at = timezone.now()

    return transition(assessment, ASSESSMENT_WORKFLOW, "finalise", actor=actor, changes=stamp)


@transaction.atomic
def assessments_finalise_due(
    *, actor: User | None, period: Period, confirmed: Collection[int] | None = None
) -> int:
    """Make final every published result past its appeal window that the actor (None: the
    system) manages. Acts on `selectors.assessments_due_final`, the list its page shows."""
    _check_bulk_actor(actor, period)
    lock(period)  # see `assessments_open_all`
    chosen = _as_confirmed(selectors.assessments_due_final(actor, period), confirmed)
    for assessment in chosen:
        assessment_finalise(actor=actor, assessment=assessment)
    return len(chosen)


# --- scores ----------------------------------------------------------------------------------


def answers_for_engine(
    spec: scoring.Instrument, values: Mapping[str, str]
) -> dict[str, scoring.Answer]:
    """Stored canonical values → engine answers (unanswered ones are simply absent)."""
    parsed = {}
    for code, raw in values.items():
        answer = parse_for(spec.indicator(code), raw)
        if answer is not None:
            parsed[code] = answer
    return parsed


def inputs_hash(instrument: Instrument, values: Mapping[str, str]) -> str:
    """SHA-256 of the instrument definition and the counted answers, in a canonical form.

    Anyone holding the exported instrument and the trace's values can recompute it.
    """
    payload = {
        "instrument": instrument.definition,
        "answers": dict(sorted((code, raw) for code, raw in values.items())),
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def counted_values(assessment: Assessment) -> dict[str, str]:
    return {a.indicator: a.counted_value for a in assessment.answers.all()}


def self_values(assessment: Assessment) -> dict[str, str]:
    return {a.indicator: a.value for a in assessment.answers.all()}


def _score_into(assessment: Assessment) -> None:
    spec = assessment.instrument.spec
    own = scoring.score(spec, answers_for_engine(spec, self_values(assessment)))
    assessment.provisional = own.to_dict()
    if assessment.state == AssessmentState.DRAFT:
        assessment.result = None
        assessment.index = None
        assessment.predicate = ""
        assessment.inputs_hash = ""
    else:
        values = counted_values(assessment)
        result = scoring.score(spec, answers_for_engine(spec, values))
        assessment.result = result.to_dict()
        assessment.index = None if result.index is None else scoring.round_half_up(result.index, 6)
        assessment.predicate = result.predicate.code if result.predicate else ""
        assessment.inputs_hash = inputs_hash(assessment.instrument, values)
    assessment.scored_at = timezone.now()


def assessment_rescore(assessment: Assessment) -> bool:
    """Recompute the scores of an assessment that is not frozen. Returns whether it changed.

    A published or final result is never recomputed here: only an appeal decision changes it.
    """
    if assessment.is_frozen:
        return False
    before = (assessment.result, assessment.provisional, assessment.inputs_hash)
    _score_into(assessment)
    changed = before != (assessment.result, assessment.provisional, assessment.inputs_hash)
    Assessment.objects.filter(pk=assessment.pk).update(
        provisional=assessment.provisional,
        result=assessment.result,
        index=assessment.index,
        predicate=assessment.predicate,
        inputs_hash=assessment.inputs_hash,
        scored_at=assessment.scored_at,
    )
    return changed


def frozen_result_intact(assessment: Assessment) -> bool:
    """Whether a published result still matches its inputs (same instrument, same answers)."""
    return inputs_hash(assessment.instrument, counted_values(assessment)) == assessment.inputs_hash


# --- guidance ----------------------------------------------------------------------------------


@transaction.atomic
def follow_up_create(
    *,
    actor: User,
    assessment: Assessment,
    action: str,
    indicator: str = "",
    due: dt.date | None = None,
) -> FollowUp:
    if not access.can_manage_guidance(actor, assessment):
        raise PermissionDenied
    action = action.strip()
    if not action:
        raise ValidationError({"action": _("Tuliskan tindak lanjutnya.")})
    codes = {i.code for i in assessment.instrument.spec.indicators}
    if indicator and indicator not in codes:
        raise ValidationError({"indicator": _("Indikator tidak dikenal.")})
    if due is not None and due < timezone.localdate():
        raise ValidationError({"due": _("Target selesai tidak boleh sebelum hari ini.")})
    follow_up = FollowUp(
        assessment=assessment, action=action, indicator=indicator, due=due, created_by=actor
    )
    audited(follow_up, actor)
    follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_update(
    *, actor: User, follow_up: FollowUp, state: str, progress_note: str = ""
) -> FollowUp:
    """The ormas reports progress; Kesbangpol may also drop an action."""
    assessment = follow_up.assessment
    if not access.can_report_follow_up(actor, assessment):
        raise PermissionDenied
    lock(follow_up)
    if state not in FollowUpState.values:
        raise ValidationError({"state": _("Pilih status yang tersedia.")})
    if state == FollowUpState.DROPPED and not access.can_manage_guidance(actor, assessment):
        raise ValidationError(
            {"state": _("Hanya Kesbangpol yang dapat menghentikan tindak lanjut.")}
        )
    follow_up.state = state
    follow_up.progress_note = progress_note.strip()
    audited(follow_up, actor)
    follow_up.save()
    return follow_up


@transaction.atomic
def eligibility_rule_save(
    *,
    actor: User,
    region_code: str,
    name: str,
    predicates: list[str],
    description: str = "",
    rule: EligibilityRule | None = None,
) -> EligibilityRule:
    if not access.can_manage_region(actor, region_code):
        raise PermissionDenied
    if rule is not None and not access.can_manage_region(actor, rule.region_id):
        raise PermissionDenied
    if not name.strip():
        raise ValidationError({"name": _("Nama syarat wajib diisi.")})
    if not predicates:
        raise ValidationError({"predicates": _("Pilih paling sedikit satu predikat.")})
    target = rule or EligibilityRule(region_id=region_code)
    target.name = name.strip()[:120]
    target.predicates = list(predicates)
    target.description = description.strip()
    audited(target, actor)
    target.save()
    return target
