"""Indicators SIPKO computes from its own data (`source: system` in an instrument).

Each computation turns registry, planning and reporting records of one ormas in one period into
an answer the scoring engine understands (a level, `ya`/`tidak`, or a ratio written
`actual/target` so it stays exact), together with a sentence saying how it was reached. The
definitions are stated in docs/assessment.md; this module is their one implementation.

Everything is computed for many ormas at once, in a fixed number of queries, because
`compute_scores` runs it for a whole region.

**Missing data: one rule for every computation** (docs/instrument.md#missing-data). A
computation measures what an obligation produced — accepted programmes (due by the period's
`programme_due`), reports (each due after its window), the financial summary (due with the
self-assessment). When what it measures does not exist:

- the obligation has **not fallen due yet** (or the ormas met it and waits for Kesbangpol's
  review) → `NA`: the indicator leaves the index and the others are re-weighted, since the
  ormas could not have done better yet;
- the obligation **fell due and was not met** → the lowest value (0, or level 1): a missing
  obligation must never score better than a poor one.

The registry computations (legal status, board term, documents) always have a base.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Q, Sum
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from sipko.assessment.scoring import round_half_up
from sipko.planning.models import Period, Programme, ProgrammeState
from sipko.registry.models import Document, DocumentType, Ormas, RegistrationKind, Validity, Verdict
from sipko.registry.selectors import active_chair_exists, validity_expression
from sipko.reporting import achievement as calc
from sipko.reporting.models import ActivityReport, FinancialSummary, ReportState, ReportValue
from sipko.reporting.selectors import DueStatus, obligations


@dataclass(frozen=True)
class SystemValue:
    raw: str  # the answer as the engine parses it; "" = unanswered, "NA" = not applicable
    detail: str  # how it was computed, for the trace page


NOT_APPLICABLE = "NA"

# Documents every ormas should hold, plus the decree of its own registration route.
BASE_REQUIRED_DOCUMENTS = (
    DocumentType.AD_ART,
    DocumentType.SK_KEPENGURUSAN,
    DocumentType.SURAT_DOMISILI,
    DocumentType.NPWP,
)
REQUIRED_BY_REGISTRATION = {
    RegistrationKind.SK_AHU: (DocumentType.AKTA_NOTARIS, DocumentType.SK_AHU),
    RegistrationKind.SKT: (DocumentType.SKT,),
}


def required_documents(registration: str) -> tuple[str, ...]:
    return BASE_REQUIRED_DOCUMENTS + REQUIRED_BY_REGISTRATION.get(registration, ())


def _registration_kind(ormas: Ormas) -> str:
    if ormas.ahu_number:
        return RegistrationKind.SK_AHU
    if ormas.skt_number:
        return RegistrationKind.SKT
    if ormas.local_letter_number:
        return RegistrationKind.LOCAL
    return RegistrationKind.NONE


def reference_date(period: Period, today: dt.date) -> dt.date:
    """Registry facts are judged at the end of the period, or today while it is still running."""
    return min(period.end, today)


Computation = Callable[[list[Ormas], Period, dt.date], dict[int, SystemValue]]


def legal_status(ormas_list: list[Ormas], period: Period, on: dt.date) -> dict[int, SystemValue]:
    """Level 1–4: 4 legal entity (SK AHU); 3 SKT in force; 2 local letter or SKT expiry unknown;
    1 not registered or SKT expired."""
    validity = dict(
        Ormas.objects.filter(pk__in=[o.pk for o in ormas_list])
        .annotate(v=validity_expression(on))
        .values_list("pk", "v")
    )
    result = {}
    for ormas in ormas_list:
        kind = _registration_kind(ormas)
        state = validity.get(ormas.pk)
        if kind == RegistrationKind.SK_AHU:
            level, why = 4, _("Berbadan hukum (SK AHU %(n)s).") % {"n": ormas.ahu_number}
        elif kind == RegistrationKind.SKT and state in (Validity.BERLAKU, Validity.AKAN_HABIS):
            level, why = 3, _("SKT %(n)s berlaku.") % {"n": ormas.skt_number}
        elif kind == RegistrationKind.SKT and state == Validity.TIDAK_DIKETAHUI:
            level, why = 2, _("SKT tercatat tetapi masa berlakunya tidak diketahui.")
        elif kind == RegistrationKind.LOCAL:
            level, why = 2, _("Tercatat dengan surat keterangan daerah.")
        elif kind == RegistrationKind.SKT:
            level, why = 1, _("SKT %(n)s sudah kedaluwarsa.") % {"n": ormas.skt_number}
        else:
            level, why = 1, _("Tidak terdaftar.")
        result[ormas.pk] = SystemValue(str(level), why)
    return result


def board_term(ormas_list: list[Ormas], period: Period, on: dt.date) -> dict[int, SystemValue]:
    """Ya when a chair (ketua) is recorded whose term has not ended."""
    current = set(
        Ormas.objects.filter(pk__in=[o.pk for o in ormas_list])
        .annotate(ok=active_chair_exists(on))
        .filter(ok=True)
        .values_list("pk", flat=True)
    )
    return {
        o.pk: SystemValue("ya", _("Ketua dengan masa bakti berjalan tercatat."))
        if o.pk in current
        else SystemValue("tidak", _("Tidak ada ketua dengan masa bakti berjalan."))
        for o in ormas_list
    }


def documents_complete(
    ormas_list: list[Ormas], period: Period, on: dt.date
) -> dict[int, SystemValue]:
    """Required document types held with a *sah* verdict and not expired / required types."""
    held: dict[int, set[str]] = defaultdict(set)
    rows = (
        Document.objects.filter(ormas__in=[o.pk for o in ormas_list], verdict=Verdict.VALID)
        .filter(Q(expires__isnull=True) | Q(expires__gte=on))
        .values_list("ormas_id", "doc_type")
    )
    for ormas_id, doc_type in rows:
        held[ormas_id].add(doc_type)
    result = {}
    for ormas in ormas_list:
        required = required_documents(_registration_kind(ormas))
        have = [t for t in required if t in held[ormas.pk]]
        missing = [DocumentType(t).label for t in required if t not in held[ormas.pk]]
        detail = _("%(have)s dari %(need)s dokumen wajib sah dan berlaku.") % {
            "have": len(have),
            "need": len(required),
        }
        if missing:
            detail += " " + _("Belum: %(list)s.") % {"list": ", ".join(str(m) for m in missing)}
        result[ormas.pk] = SystemValue(f"{len(have)}/{len(required)}", detail)
    return result


def _accepted(ormas_list: Iterable[Ormas], period: Period):
    return Programme.objects.filter(
        period=period, state=ProgrammeState.ACCEPTED, ormas__in=[o.pk for o in ormas_list]
    )


@dataclass(frozen=True)
class _Base:
    """Why an ormas has nothing to measure: the value and sentence the rule gives it."""

    raw: str
    detail: str


def _programme_bases(ormas_list: list[Ormas], period: Period, on: dt.date) -> dict[int, _Base]:
    """For each ormas WITHOUT an accepted programme, what the missing-data rule gives it.

    Not due yet (on or before `programme_due`), or submitted and awaiting review → N/A; the
    deadline passed without an accepted programme → 0. Ormas with one are not in the result.
    """
    ids = [o.pk for o in ormas_list]
    states = defaultdict(set)
    for ormas_id, state in Programme.objects.filter(period=period, ormas__in=ids).values_list(
        "ormas_id", "state"
    ):
        states[ormas_id].add(state)
    deadline = _day(period.programme_due)
    bases = {}
    for ormas in ormas_list:
        held = states.get(ormas.pk, set())
        if ProgrammeState.ACCEPTED in held:
            continue
        if on <= period.programme_due:
            bases[ormas.pk] = _Base(
                NOT_APPLICABLE,
                _("Batas pengajuan program kerja (%(date)s) belum lewat: belum dinilai.")
                % {"date": deadline},
            )
        elif ProgrammeState.SUBMITTED in held:
            bases[ormas.pk] = _Base(
                NOT_APPLICABLE,
                _(
                    "Program kerja sudah diajukan dan menunggu penelaahan Kesbangpol: "
                    "belum dinilai."
                ),
            )
        else:
            bases[ormas.pk] = _Base(
                "0",
                _(
                    "Batas pengajuan program kerja (%(date)s) telah lewat tanpa program yang "
                    "diterima: dihitung 0."
                )
                % {"date": deadline},
            )
    return bases


def _reports_due(ormas_list: list[Ormas], period: Period, on: dt.date) -> set[int]:
    """Ormas owing at least one report whose due date has passed on day `on`."""
    return {
        obligation.ormas.pk
        for obligation in obligations(_accepted(ormas_list, period), on=on)
        if obligation.counted
    }


def _nothing_due_yet() -> _Base:
    return _Base(NOT_APPLICABLE, _("Belum ada laporan yang jatuh tempo: belum dinilai."))


def _day(value: dt.date) -> str:
    return date_format(value, "j F Y")


def rpjmd_alignment(ormas_list: list[Ormas], period: Period, on: dt.date) -> dict[int, SystemValue]:
    """Share of the period's accepted programmes linked to at least one RPJMD sasaran."""
    counts = {
        row["ormas_id"]: row
        for row in _accepted(ormas_list, period)
        .values("ormas_id")
        .annotate(
            total=Count("pk", distinct=True),
            linked=Count("pk", filter=Q(sasaran__isnull=False), distinct=True),
        )
    }
    missing = _programme_bases(ormas_list, period, on)
    result = {}
    for ormas in ormas_list:
        row = counts.get(ormas.pk)
        if not row:
            base = missing[ormas.pk]
            result[ormas.pk] = SystemValue(base.raw, base.detail)
            continue
        result[ormas.pk] = SystemValue(
            f"{row['linked']}/{row['total']}",
            _("%(linked)s dari %(total)s program terkait sasaran RPJMD.") % row,
        )
    return result


def programme_achievement(
    ormas_list: list[Ormas], period: Period, on: dt.date
) -> dict[int, SystemValue]:
    """Mean over accepted programmes of their indicators' achievement, each capped at 100 %.

    Only verified reports count; an indicator with nothing reported counts as 0. Achievement is
    judged once a report has fallen due: before that it is N/A, not 0.
    """
    programmes = list(_accepted(ormas_list, period).prefetch_related("indicators"))
    values: dict[int, list] = defaultdict(list)
    rows = (
        ReportValue.objects.filter(
            report__programme__in=[p.pk for p in programmes], report__state=ReportState.VERIFIED
        )
        .order_by("report__end_date", "report__start_date", "report_id")
        .values_list("indicator_id", "value")
    )
    for indicator_id, value in rows:
        values[indicator_id].append(value)
    by_ormas: dict[int, list] = defaultdict(list)
    for programme in programmes:
        specs = [
            calc.IndicatorSpec(
                key=i.pk,
                name=i.name,
                unit=i.unit,
                baseline=i.baseline,
                target=i.target,
                polarity=i.polarity,
                aggregation=i.aggregation,
            )
            for i in programme.indicators.all()
        ]
        ratios = [
            Fraction(calc.capped(a.ratio) or 0) for a in calc.programme_achievement(specs, values)
        ]
        # A programme without indicators has nothing to show for itself: it counts as 0.
        by_ormas[programme.ormas_id].append(sum(ratios) / len(ratios) if ratios else Fraction(0))
    missing = _programme_bases(ormas_list, period, on)
    due = _reports_due(ormas_list, period, on)
    result = {}
    for ormas in ormas_list:
        shares = by_ormas.get(ormas.pk)
        if not shares:
            base = missing[ormas.pk]
            result[ormas.pk] = SystemValue(base.raw, base.detail)
            continue
        if ormas.pk not in due:
            base = _nothing_due_yet()
            result[ormas.pk] = SystemValue(base.raw, base.detail)
            continue
        # Achievement ratios are themselves rounded decimals: four places (0,01 %) is all the
        # precision there is, and keeps the stored answer short and exact.
        mean = round_half_up(sum(shares, Fraction(0)) / len(shares), 4)
        shown = number_format(mean * 100, decimal_pos=2, use_l10n=True)
        result[ormas.pk] = SystemValue(
            str(mean),
            _("Rata-rata capaian %(n)s program: %(pct)s%%.") % {"n": len(shares), "pct": shown},
        )
    return result


def reporting_on_time(
    ormas_list: list[Ormas], period: Period, on: dt.date
) -> dict[int, SystemValue]:
    """Share of the reports due so far that were first submitted by their due date."""
    tally: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for obligation in obligations(_accepted(ormas_list, period), on=on):
        if not obligation.counted:
            continue
        counts = tally[obligation.ormas.pk]
        counts[1] += 1
        if obligation.status == DueStatus.ON_TIME:
            counts[0] += 1
    missing = _programme_bases(ormas_list, period, on)
    result = {}
    for ormas in ormas_list:
        on_time, due = tally.get(ormas.pk, (0, 0))
        if not due:
            base = missing.get(ormas.pk) or _nothing_due_yet()
            result[ormas.pk] = SystemValue(base.raw, base.detail)
            continue
        result[ormas.pk] = SystemValue(
            f"{on_time}/{due}",
            _("%(on_time)s dari %(due)s laporan diajukan tepat waktu.")
            % {"on_time": on_time, "due": due},
        )
    return result


def youth_share(ormas_list: list[Ormas], period: Period, on: dt.date) -> dict[int, SystemValue]:
    """Participants aged 16–30 / all participants, over the period's verified activity reports.

    With no participants: N/A while no report is due (or no programme was due), 0 once reports
    fell due and none with participants was verified.
    """
    rows = {
        row["programme__ormas_id"]: row
        for row in ActivityReport.objects.filter(
            programme__period=period,
            programme__ormas__in=[o.pk for o in ormas_list],
            state=ReportState.VERIFIED,
        )
        .values("programme__ormas_id")
        .annotate(
            youth=Sum("male_youth") + Sum("female_youth"),
            everyone=Sum("male_under16")
            + Sum("male_youth")
            + Sum("male_over30")
            + Sum("female_under16")
            + Sum("female_youth")
            + Sum("female_over30"),
        )
    }
    missing = _programme_bases(ormas_list, period, on)
    due = _reports_due(ormas_list, period, on)
    result = {}
    for ormas in ormas_list:
        row = rows.get(ormas.pk)
        if row and row["everyone"]:
            result[ormas.pk] = SystemValue(
                f"{row['youth']}/{row['everyone']}",
                _("%(youth)s dari %(everyone)s peserta kegiatan berusia 16–30 tahun.") % row,
            )
        elif ormas.pk in missing:
            base = missing[ormas.pk]
            result[ormas.pk] = SystemValue(base.raw, base.detail)
        elif ormas.pk not in due:
            base = _nothing_due_yet()
            result[ormas.pk] = SystemValue(base.raw, base.detail)
        else:
            result[ormas.pk] = SystemValue(
                "0",
                _(
                    "Laporan sudah jatuh tempo, tetapi belum ada peserta dalam laporan kegiatan "
                    "terverifikasi: dihitung 0."
                ),
            )
    return result


def _financial_summaries(ormas_list: list[Ormas], period: Period) -> dict[int, FinancialSummary]:
    return {
        summary.ormas_id: summary
        for summary in FinancialSummary.objects.filter(
            period=period, ormas__in=[o.pk for o in ormas_list]
        )
    }


def _financial_base(period: Period, on: dt.date, lowest: str) -> _Base:
    """An ormas without a financial summary: N/A until the self-assessment is due, then the
    lowest value."""
    due = period.self_assessment_due or period.end
    if on <= due:
        return _Base(
            NOT_APPLICABLE,
            _("Ringkasan keuangan belum diisi; batasnya %(date)s: belum dinilai.")
            % {"date": _day(due)},
        )
    return _Base(
        lowest,
        _("Ringkasan keuangan tidak diisi sampai batas %(date)s: dihitung terendah.")
        % {"date": _day(due)},
    )


def income_sources(ormas_list: list[Ormas], period: Period, on: dt.date) -> dict[int, SystemValue]:
    """How many of the five income kinds of the financial summary are above 0."""
    summaries = _financial_summaries(ormas_list, period)
    result = {}
    for ormas in ormas_list:
        summary = summaries.get(ormas.pk)
        if summary is None:
            base = _financial_base(period, on, "0")
            result[ormas.pk] = SystemValue(base.raw, base.detail)
            continue
        kinds = [
            str(FinancialSummary._meta.get_field(name).verbose_name)
            for name in FinancialSummary.INCOME_FIELDS
            if (getattr(summary, name) or 0) > 0
        ]
        detail = _("%(n)s jenis sumber pendapatan dalam ringkasan keuangan") % {"n": len(kinds)}
        detail += f": {', '.join(kinds)}." if kinds else "."
        result[ormas.pk] = SystemValue(str(len(kinds)), detail)
    return result


def financial_reporting(
    ormas_list: list[Ormas], period: Period, on: dt.date
) -> dict[int, SystemValue]:
    """Level 1–4 from the financial summary: 4 audited; 3 reported to the members' meeting or
    published; 2 a summary kept but neither reported nor published; 1 no summary once due."""
    summaries = _financial_summaries(ormas_list, period)
    result = {}
    for ormas in ormas_list:
        summary = summaries.get(ormas.pk)
        if summary is None:
            base = _financial_base(period, on, "1")
            result[ormas.pk] = SystemValue(base.raw, base.detail)
        elif summary.audited:
            result[ormas.pk] = SystemValue("4", _("Laporan keuangan diaudit."))
        elif summary.reported or summary.published:
            result[ormas.pk] = SystemValue(
                "3", _("Laporan keuangan disampaikan kepada anggota atau dipublikasikan.")
            )
        else:
            result[ormas.pk] = SystemValue(
                "2", _("Ringkasan keuangan ada, tetapi belum dilaporkan atau dipublikasikan.")
            )
    return result


COMPUTATIONS: dict[str, Computation] = {
    "legal_status": legal_status,
    "board_term": board_term,
    "documents_complete": documents_complete,
    "rpjmd_alignment": rpjmd_alignment,
    "programme_achievement": programme_achievement,
    "reporting_on_time": reporting_on_time,
    "youth_share": youth_share,
    "income_sources": income_sources,
    "financial_reporting": financial_reporting,
}


# Computations judged on the day reports fall due rather than at the period's end.
REPORT_BASED = frozenset({"reporting_on_time", "programme_achievement", "youth_share"})
# Judged today: the financial summary falls due with the self-assessment, after the period.
JUDGED_TODAY = frozenset({"income_sources", "financial_reporting"})


def compute(
    names: Iterable[str], ormas_list: list[Ormas], period: Period, *, today: dt.date
) -> dict[int, dict[str, SystemValue]]:
    """ormas id → computation name → value, for every name asked."""
    on = reference_date(period, today)
    # Reports fall due after their window (the last one after the period ends): they are counted
    # as of today, up to the day after the period's last due date (a report counts from then).
    last_due = max((w.due for w in period.report_windows()), default=period.end)
    reports_on = min(today, last_due + dt.timedelta(days=1))
    result: dict[int, dict[str, SystemValue]] = {o.pk: {} for o in ormas_list}
    for name in dict.fromkeys(names):
        day = reports_on if name in REPORT_BASED else today if name in JUDGED_TODAY else on
        for ormas_id, value in COMPUTATIONS[name](ormas_list, period, day).items():
            result[ormas_id][name] = value
    return result
