"""Performance assessments for the fictional Blitar Raya demo (SPEC §3.5, §6 `seed_demo`).

Runs after the planning demo (`sipko.planning.demo`), in the same transaction, and writes only
through `sipko.assessment.services` (plus `planning.services.period_move` for the one period
move it needs), so every assessment, answer, verification, appeal and follow-up is validated,
has its history rows and its state log exactly as in real use.

What it writes (docs/demo-data.md, "Performance assessments"):

- the default instrument `IKO-DEFAULT 2025.1`, loaded from its file by the system and made
  binding by `admin_nasional`, as the standard of the demo periods (last year's and this
  year's of both regions, and Kota Blitar's next year);
- last year's period of both regions: every assessment published, most of them final, two
  appeals decided, follow-ups carried into this year;
- this year's period: Kota Blitar is moved to *assessment* (publishing needs it) and holds
  assessments in every workflow state, with an open appeal and a decided one; Kabupaten Blitar's
  period stays *open*, its ormas still filling in and being verified;
- a grant-eligibility rule per region and four more demo accounts (`EXTRA_ACCOUNTS`): a second
  Kota Blitar assessor, a Kabupaten Blitar assessor, and the operators who file the appeals.

Dates. As in the planning demo, `timezone.now()` answers the moment planned for the call in
progress (`_Clock`), so submissions, verifications, publications and appeal windows read as if the
work had happened then. Every step of every assessment is put on one timeline and the timeline
is written in time order, so the services see the world as it was at each step.

Last year's period is already closed (frozen) when this runs: the planning demo writes its moves
(open → assessment → published → closed). While a step dated inside it is written, the period is
given the state its own state log says it had at that moment (`_Replay`), so the services check
each step against the state the period really had then (self-assessment while *open*,
publication while in *assessment* …). The period is closed again at the end; the replay writes no
history or log row, and what is left is exactly the period the planning demo wrote.

System values (legal status, documents, programmes, reports) are computed by the services from
the registry and planning demo as they stand, which may include reports verified after the date
of the step.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import posixpath
import random
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from sipko.accounts.models import Role, User
from sipko.assessment import scoring, selectors, services
from sipko.assessment.models import (
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
)
from sipko.planning import demo as planning_demo
from sipko.planning import services as planning
from sipko.planning.models import Period, PeriodState, Programme, ProgrammeState
from sipko.registry import demo as registry_demo
from sipko.registry.models import ActivityStatus, Assignment, Ormas
from sipko.reporting.models import ActivityReport, FinancialSummary, ReportState
from sipko.workflow.engine import state_log
from sipko.workflow.models import StateChange

KOTA_BLITAR = registry_demo.KOTA_BLITAR
KAB_BLITAR = registry_demo.KAB_BLITAR
REGIONS = (KOTA_BLITAR, KAB_BLITAR)
DEMO_SUFFIX = planning_demo.DEMO_SUFFIX
CURRENT, PREVIOUS = planning_demo.CURRENT, planning_demo.PREVIOUS

# How many ormas are assessed. A verified assessment takes some 30 service calls, each of which
# rescores it: about 0.4 s on SQLite. All 158 ormas in both periods would triple the loading time
# of `seed_demo` and show nothing new.
CURRENT_KOTA = 24  # of ≈ 48 active; Kota Blitar's period is in *assessment*
CURRENT_KAB = 14  # of ≈ 76 active; Kabupaten Blitar's period is still *open*
PREVIOUS_KOTA = 10
PREVIOUS_KAB = 8
# The period is moved to *assessment* no earlier than this many days before the day of loading,
# and no later (programmes submitted late must come before it: submitting needs an open period).
MOVE_DAYS_BEFORE = (20, 12)
ELIGIBILITY_PREDICATES = ["A", "B"]
# Bidang whose ormas more often work for harmony and national unity (MNF4).
HARMONY_BIDANG = frozenset({"kebangsaan", "keagamaan", "kepercayaan", "demokrasi_hukum_ham"})


@dataclass(frozen=True)
class ExtraAccount:
    username: str
    role: str
    first_name: str
    last_name: str
    region: str | None
    does: str  # what the account is for, printed with the summary


EXTRA_ACCOUNTS = (
    ExtraAccount(
        "penilai2",
        Role.ASSESSOR,
        "Laksmi",
        "Anindita",
        KOTA_BLITAR,
        "penilai Kota Blitar (penilai kedua, rekonsiliasi)",
    ),
    ExtraAccount(
        "penilai_kab", Role.ASSESSOR, "Bayu", "Kusnadi", KAB_BLITAR, "penilai Kabupaten Blitar"
    ),
    ExtraAccount(
        "operator3", Role.OPERATOR, "Galuh", "Paramitha", None, "operator, keberatan menunggu"
    ),
    ExtraAccount(
        "operator4", Role.OPERATOR, "Wisnu", "Adiputra", None, "operator, keberatan diterima"
    ),
)
EXTRA_USERNAMES = tuple(account.username for account in EXTRA_ACCOUNTS)


def extra_users() -> list[User]:
    """The extra demo accounts that exist, in the order of EXTRA_ACCOUNTS."""
    found = {
        user.username: user
        for user in User.objects.filter(
            username__in=EXTRA_USERNAMES, email__endswith="@" + registry_demo.DEMO_EMAIL_DOMAIN
        ).select_related("region", "ormas")
    }
    return [found[name] for name in EXTRA_USERNAMES if name in found]


# --- Words ------------------------------------------------------------------------------------

# Indicators the ormas answers itself, and how an assessor explains a lower value (the one the
# evidence supports). `{n}` is the value the assessor sets.
SELF_CODES = ("KEL4", "SDM1", "SDM2", "SDM3", "SDM4", "MNF1", "MNF3")
ASSESSOR_CODES = ("PRG1", "MNF4")
CORRECTIONS = {
    ("KEL4", "3"): "Foto tidak memperlihatkan papan nama ormas; sekretariat menempati gedung "
    "sewaan dengan perjanjian tertulis, jadi dinilai tingkat 3.",
    ("KEL4", "2"): "Tidak ada perjanjian sewa atau pinjam pakai tertulis; sekretariat menumpang "
    "di rumah ketua.",
    ("KEL4", "1"): "Alamat sekretariat tidak dapat ditemukan saat kunjungan lapangan.",
    ("SDM1", ""): "Daftar hadir rapat dan kegiatan selama periode ini hanya memuat {n} nama "
    "berbeda.",
    ("SDM2", ""): "Sumbangan donatur tidak disertai bukti penerimaan, sehingga hanya {n} jenis "
    "sumber pendapatan yang diakui.",
    ("SDM3", "3"): "Laporan keuangan belum diperiksa auditor independen; yang dilampirkan adalah "
    "laporan pengurus kepada rapat anggota.",
    ("SDM3", "2"): "Tidak ada bukti laporan keuangan disampaikan kepada anggota atau Kesbangpol; "
    "yang ada baru buku kas bendahara.",
    ("SDM3", "1"): "Buku kas yang dilampirkan tidak diisi sejak awal periode.",
    ("SDM4", "tidak"): "Buku tabungan yang dilampirkan atas nama pribadi bendahara, bukan atas "
    "nama ormas.",
    ("MNF1", ""): "Jumlah disesuaikan dengan daftar hadir pada laporan kegiatan terverifikasi: "
    "{n} orang.",
    ("MNF3", ""): "Hanya {n} kemitraan yang didukung nota kesepahaman atau laporan kegiatan "
    "bersama.",
}
SELF_NOTES = {
    "KEL4": (
        "Sekretariat bersama di balai RW, dipakai sejak tiga tahun lalu.",
        "Kantor di rumah ketua; papan nama dipasang di depan rumah.",
    ),
    "SDM1": (
        "Dihitung dari daftar hadir rapat pengurus dan kegiatan.",
        "Termasuk relawan kegiatan bulanan.",
    ),
    "SDM2": ("Iuran anggota bulanan dan donasi saat kegiatan.",),
    "SDM3": ("Laporan keuangan dibacakan dalam rapat anggota tahunan.",),
    "MNF1": (
        "Jumlah peserta seluruh kegiatan menurut daftar hadir.",
        "Termasuk penerima bantuan sembako dan peserta penyuluhan.",
    ),
    "MNF3": (
        "Kerja sama dengan kelurahan dan puskesmas setempat.",
        "Kegiatan bersama dengan sekolah dan karang werda.",
    ),
}
SECOND_OPINIONS = {
    "PRG1": "Sebagian program belum mencantumkan nilai awal indikator, jadi belum dapat disebut "
    "terukur dan dipantau.",
    "MNF4": "Kegiatan lintas kelompok baru sekali diadakan dan belum berkelanjutan.",
    "KEL4": "Perjanjian pinjam pakai yang dilampirkan sudah habis masa berlakunya.",
}
RECONCILE_REASON = (
    "Disepakati dalam rapat pleno tim penilai tanggal {date} setelah memeriksa ulang bukti "
    "dukung dan laporan kegiatan."
)
FOLLOW_UP_NOTES = {
    FollowUpState.IN_PROGRESS: (
        "Sudah dibahas dalam rapat pengurus; pelaksanaannya dijadwalkan bulan depan.",
        "Berkas sedang disiapkan bersama pendamping dari Kesbangpol.",
    ),
    FollowUpState.DONE: (
        "Sudah dilaksanakan; bukti diunggah pada profil ormas.",
        "Selesai dan dilaporkan dalam rapat koordinasi ormas.",
    ),
}
EVIDENCE_LABELS = {
    "KEL4": "FOTO SEKRETARIAT",
    "SDM1": "DAFTAR HADIR PENGURUS",
    "SDM3": "LAPORAN KEUANGAN",
    "SDM4": "BUKU REKENING",
    "MNF1": "DAFTAR PENERIMA MANFAAT",
    "MNF3": "NOTA KESEPAHAMAN",
}

# Designed appeals: (indicators, grounds, decision, reason). The value a granted appeal sets is
# one level or band above the verified one.
APPEALS = {
    "operator-previous": (
        ["MNF3", "MNF1"],
        "Nota kesepahaman dengan puskesmas dan SD negeri ditandatangani dalam periode penilaian "
        "tetapi belum dihitung sebagai kemitraan. Kami lampirkan salinannya, beserta daftar hadir "
        "tambahan kegiatan pemeriksaan kesehatan gratis.",
        AppealState.PARTLY,
        "Nota kesepahaman dengan puskesmas dan sekolah sah dan berlaku dalam periode penilaian, "
        "sehingga kemitraan diakui. Daftar hadir tambahan tidak memuat tanda tangan peserta, "
        "sehingga jumlah penerima manfaat tidak diubah.",
    ),
    "operator2-previous": (
        ["SDM3"],
        "Laporan keuangan kami sudah disampaikan dalam rapat anggota tahunan. Mohon pelaporan "
        "keuangan dinilai sebagai dilaporkan kepada anggota dan Kesbangpol.",
        AppealState.REJECTED,
        "Laporan keuangan tidak pernah diterima Kesbangpol dan notulen rapat anggota yang "
        "dilampirkan tidak mencantumkan pembahasan laporan keuangan. Nilai penilai dipertahankan.",
    ),
    "operator4": (
        ["KEL4"],
        "Sekretariat kami menempati gedung milik kelurahan dengan perjanjian pinjam pakai "
        "tertulis yang ditandatangani sebelum akhir periode, dan papan nama sudah terpasang. "
        "Salinan perjanjian dan foto terbaru kami lampirkan.",
        AppealState.GRANTED,
        "Perjanjian pinjam pakai tertanggal dalam periode penilaian dan foto papan nama "
        "membuktikan sekretariat berstatus pinjam pakai tertulis. Nilai kantor/sekretariat "
        "dinaikkan satu tingkat.",
    ),
    "operator3": (
        ["MNF1"],
        "Jumlah penerima manfaat hanya dihitung dari laporan semester pertama. Kegiatan bakti "
        "sosial bulan Oktober menjangkau lebih dari 300 warga dan laporannya sudah kami kirim. "
        "Mohon jumlah penerima manfaat dihitung ulang.",
        AppealState.PENDING,
        "",
    ),
}


# --- The clock and the replayed period state --------------------------------------------------


class _Clock:
    """Stands in for `django.utils.timezone.now` while the demo is written (see the planning
    demo's clock): the services, history rows, `auto_now` fields and the appeal-window guards
    all read the moment last set with `at()`."""

    def __init__(self) -> None:
        self.moment: dt.datetime | None = None
        self._real_now = timezone.now

    def at(self, moment: dt.datetime) -> None:
        self.moment = moment

    def now(self) -> dt.datetime:
        if self.moment is None:
            return self._real_now()
        return self.moment.astimezone(dt.UTC)

    @contextmanager
    def running(self) -> Iterator[None]:
        timezone.now = self.now  # type: ignore[assignment]
        try:
            yield
        finally:
            timezone.now = self._real_now  # type: ignore[assignment]


class _Replay:
    """Gives a period, for the steps dated inside it, the state its state log says it had then."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self.real_state = period.state
        self.log = [(change.at, change.new_state) for change in state_log(period)]

    def state_at(self, moment: dt.datetime) -> str:
        state = PeriodState.DRAFT
        for at, new_state in self.log:
            if at <= moment:
                state = new_state
        return state

    def to(self, state: str) -> None:
        if self.period.state != state:
            self.period.state = state
            Period.objects.filter(pk=self.period.pk).update(state=state)

    def restore(self) -> None:
        self.to(self.real_state)


# --- The plan -----------------------------------------------------------------------------------


@dataclass
class Step:
    at: dt.datetime
    action: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Case:
    """One assessment: the ormas, its period, what it goes through (`fate`) and its steps."""

    ormas: Ormas
    period: Period
    key: str  # CURRENT or PREVIOUS
    fate: str
    admin: User
    editor: User | None  # who answers for the ormas: its operator, else the system (None)
    assessor: User | None = None
    second: User | None = None
    design: str = ""  # a designed appeal (key of APPEALS)
    steps: list[Step] = field(default_factory=list)
    assessment: Assessment | None = None

    @property
    def submitter(self) -> User:
        return self.editor or self.admin


# Which states each fate ends in, for reading the plan.
FATES = {
    "draft_empty": AssessmentState.DRAFT,
    "draft": AssessmentState.DRAFT,
    "submitted": AssessmentState.SUBMITTED,
    "partly_verified": AssessmentState.SUBMITTED,
    "reconciliation": AssessmentState.RECONCILIATION,
    "reconciled": AssessmentState.VERIFIED,
    "verified": AssessmentState.VERIFIED,
    "published": AssessmentState.PUBLISHED,
    "appeal": AssessmentState.APPEAL,
    "appeal_decided": AssessmentState.FINAL,
    "final": AssessmentState.FINAL,
    "final_reconciled": AssessmentState.FINAL,
}


Progress = Callable[[str, int, int], None]


@dataclass
class AssessmentSummary:
    instrument: str = ""
    periods: int = 0
    states: Counter[str] = field(default_factory=Counter)
    previous: Counter[str] = field(default_factory=Counter)
    previous_year: int = 0
    appeals: int = 0
    appeals_pending: int = 0
    follow_ups: int = 0
    rules: int = 0
    evidence: int = 0
    accounts: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.states.values())


@transaction.atomic
def demo_seed(
    *, seed: int = registry_demo.DEFAULT_SEED, progress: Progress | None = None
) -> AssessmentSummary:
    """The default instrument and the demo assessments, after the planning demo."""
    report: Progress = progress or (lambda stage, done, total: None)
    demo_reset()  # leftovers of an earlier demo whose ormas were removed without it
    taken = User.objects.filter(username__in=EXTRA_USERNAMES).exclude(
        email__endswith="@" + registry_demo.DEMO_EMAIL_DOMAIN
    )
    if taken.exists():
        raise registry_demo.DemoRefused(
            _("Nama pengguna demo sudah dipakai akun lain: %(names)s. Data demo tidak dimuat.")
            % {"names": ", ".join(sorted(taken.values_list("username", flat=True)))}
        )
    writer = _Writer(seed=seed, today=timezone.localdate(), progress=report)
    writer.write()
    return writer.summary


class _Writer:
    def __init__(self, *, seed: int, today: dt.date, progress: Progress) -> None:
        self.seed = seed
        self.rng = random.Random(f"sipko-demo-assessment-{seed}")
        self.today = today
        self.progress = progress
        self.clock = _Clock()
        self.summary = AssessmentSummary()
        tz = timezone.get_current_timezone()
        self.latest = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(17), tzinfo=tz)
        self.users = {user.username: user for user in registry_demo.demo_users()}
        missing = {"admin_nasional", "admin_kota", "admin_kab", "penilai", "operator", "operator2"}
        missing -= set(self.users)
        if missing:
            raise registry_demo.DemoRefused(
                _("Akun demo belum ada: %(names)s.") % {"names": ", ".join(sorted(missing))}
            )
        self.admins = {KOTA_BLITAR: self.users["admin_kota"], KAB_BLITAR: self.users["admin_kab"]}
        year = planning_demo.open_year(today)
        self.years = {CURRENT: year, PREVIOUS: year - 1}
        self.periods: dict[tuple[str, str], Period] = {}
        for period in Period.objects.filter(region_id__in=REGIONS, name__endswith=DEMO_SUFFIX):
            for key, period_year in self.years.items():
                if period.start.year == period_year:
                    self.periods[(period.region_id, key)] = period
        if len(self.periods) != 4:
            raise registry_demo.DemoRefused(_("Periode demo belum dimuat; jalankan seed_demo."))
        # Next year's period (Kota Blitar, open for programmes) only gets its standard here.
        self.next_periods = list(
            Period.objects.filter(
                region_id__in=REGIONS, name__endswith=DEMO_SUFFIX, start__year=year + 1
            ).order_by("region_id")
        )
        self.replays = {
            period.pk: _Replay(period)
            for (_region, key), period in self.periods.items()
            if key == PREVIOUS
        }
        self.steps: list[tuple[dt.datetime, int, Case | None, Step]] = []
        self.cases: list[Case] = []
        self.instrument: Instrument | None = None  # 2025.1: the periods assessed in the demo
        self.newest: Instrument | None = None  # 2026.1: the standard of next year's period
        self.images: dict[tuple[str, int], bytes] = {}

    # -- time

    @staticmethod
    def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(
            day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone()
        )

    def _at(self, day: dt.date) -> dt.datetime:
        return self._moment(day, self.rng.randint(8, 15), self.rng.randint(0, 59))

    def _after(
        self, moment: dt.datetime, low: int, high: int, limit: dt.datetime | None = None
    ) -> dt.datetime:
        """An office-hours moment `low`–`high` days after `moment`, never before it nor after
        `limit` (then shortly after `moment`)."""
        later = self._at(moment.date() + dt.timedelta(days=self.rng.randint(low, high)))
        if later <= moment:
            later = moment + dt.timedelta(minutes=self.rng.randint(20, 90))
        if limit is not None and later > limit:
            later = max(limit, moment + dt.timedelta(minutes=10))
        return later

    def _between(self, low: dt.datetime, high: dt.datetime) -> dt.datetime:
        if high <= low:
            return low
        days = (high.date() - low.date()).days
        return self._after(low, 0, days, high)

    # -- writing

    def write(self) -> None:
        self._accounts()
        self._facts()
        self._plan()
        with self.clock.running():
            try:
                self._run()
            finally:
                for replay in self.replays.values():
                    replay.restore()
        self._count()

    def _accounts(self) -> None:
        """The extra demo accounts (the operators get their ormas in `_plan`)."""
        password = self.users["penilai"].password or make_password(registry_demo.DEMO_PASSWORD)
        for account in EXTRA_ACCOUNTS:
            user = User(
                username=account.username,
                email=f"{account.username}@{registry_demo.DEMO_EMAIL_DOMAIN}",
                first_name=account.first_name,
                last_name=account.last_name,
                role=account.role,
                region_id=account.region,
                password=password,
            )
            user.save()
            self.users[account.username] = user
            self.summary.accounts.append(account.username)

    def _facts(self) -> None:
        """What the answers are drawn from: the registry and the planning demo."""
        demo = Ormas.objects.current().filter(is_demo=True, activity_status=ActivityStatus.AKTIF)
        self.active = {
            region: list(demo.filter(region__code__startswith=region + ".").order_by("name", "pk"))
            for region in REGIONS
        }
        self.bidang: dict[int, set[str]] = {}
        for ormas_id, code in Ormas.bidang.through.objects.filter(ormas__is_demo=True).values_list(
            "ormas_id", "bidang_id"
        ):
            self.bidang.setdefault(ormas_id, set()).add(code)
        self.finance = {
            (f.ormas_id, f.period_id): f
            for f in FinancialSummary.objects.filter(ormas__is_demo=True)
        }
        people = (
            F("male_under16")
            + F("male_youth")
            + F("male_over30")
            + F("female_under16")
            + F("female_youth")
            + F("female_over30")
        )
        self.participants = {
            (row["programme__ormas_id"], row["programme__period_id"]): row["total"]
            for row in ActivityReport.objects.filter(
                programme__ormas__is_demo=True,
                state__in=(ReportState.VERIFIED, ReportState.SUBMITTED),
            )
            .values("programme__ormas_id", "programme__period_id")
            .annotate(total=Sum(people))
        }
        self.programmes: dict[tuple[int, int], list[str]] = {}
        for ormas_id, period_id, state in Programme.objects.filter(ormas__is_demo=True).values_list(
            "ormas_id", "period_id", "state"
        ):
            self.programmes.setdefault((ormas_id, period_id), []).append(state)
        self.assigned = set(
            Assignment.objects.filter(assessor=self.users["penilai"]).values_list(
                "ormas_id", flat=True
            )
        )

    # -- the plan: which ormas, what fate, which steps

    def _plan(self) -> None:
        rng = self.rng
        kota, kab = self.active[KOTA_BLITAR], self.active[KAB_BLITAR]
        operator, operator2 = self.users["operator"].ormas, self.users["operator2"].ormas
        penilai, penilai2 = self.users["penilai"], self.users["penilai2"]
        penilai_kab = self.users["penilai_kab"]
        special = {operator.pk, operator2.pk}
        penilai_own = [o for o in kota if o.pk in self.assigned and o.pk not in special]
        cur, prev = self.periods[(KOTA_BLITAR, CURRENT)], self.periods[(KOTA_BLITAR, PREVIOUS)]
        cur_kab, prev_kab = (
            self.periods[(KAB_BLITAR, CURRENT)],
            self.periods[(KAB_BLITAR, PREVIOUS)],
        )
        admin, admin_kab = self.admins[KOTA_BLITAR], self.admins[KAB_BLITAR]

        def engaged_first(ormas_list: list[Ormas], period: Period) -> list[Ormas]:
            """Shuffled, ormas with programmes in the period first: they take part first."""
            shuffled = rng.sample(ormas_list, len(ormas_list))
            return sorted(shuffled, key=lambda o: (o.pk, period.pk) not in self.programmes)

        others = engaged_first([o for o in kota if o.pk not in self.assigned], cur)
        # The operators who file this year's appeals act for two ormas penilai2 assesses.
        operator3, operator4 = others[0], others[1]
        for username, ormas in (("operator3", operator3), ("operator4", operator4)):
            user = self.users[username]
            user.ormas = ormas
            user.save(update_fields=["ormas"])
        others = others[2:]

        # This year, Kota Blitar (moved to *assessment*): every state.
        self._case(operator, cur, "draft", admin, self.users["operator"], penilai)
        self._case(operator2, cur, "published", admin, self.users["operator2"], penilai)
        self._case(operator3, cur, "appeal", admin, self.users["operator3"], penilai2, "operator3")
        self._case(
            operator4, cur, "appeal_decided", admin, self.users["operator4"], penilai2, "operator4"
        )
        penilai_fates = [
            "submitted",
            "partly_verified",
            "partly_verified",
            "reconciliation",
            "reconciled",
            "reconciliation",
            "published",
            "verified",
        ]
        for ormas, fate in zip(penilai_own, penilai_fates, strict=False):
            second = penilai2 if fate.startswith("reconcil") else None
            self._case(ormas, cur, fate, admin, None, penilai, second=second)
        fates = (
            ["draft_empty"]
            + ["draft"] * 2
            + ["submitted"]
            + ["partly_verified"]
            + ["verified"]
            + ["published"] * 30
        )[: max(0, CURRENT_KOTA - len(self.cases))]
        rng.shuffle(fates)
        assessed_now = others[: len(fates)]
        for ormas, fate in zip(assessed_now, fates, strict=False):
            self._case(ormas, cur, fate, admin, None, None if fate == "draft_empty" else penilai2)

        # This year, Kabupaten Blitar (still *open*): filling in and verification under way.
        fates = (
            ["draft_empty"]
            + ["draft"] * 4
            + ["partly_verified"] * 2
            + ["submitted"] * 4
            + ["verified"] * 30
        )[:CURRENT_KAB]
        rng.shuffle(fates)
        kab_order = engaged_first(kab, cur_kab)
        for ormas, fate in zip(kab_order, fates, strict=False):
            assessor = None if fate == "draft_empty" else penilai_kab
            self._case(ormas, cur_kab, fate, admin_kab, None, assessor)

        # Last year: everything published, most of it final; mostly ormas assessed again this
        # year (so their trend shows), a few that have not started yet.
        for ormas, username in ((operator, "operator"), (operator2, "operator2")):
            user = self.users[username]
            self._case(ormas, prev, "appeal_decided", admin, user, penilai, f"{username}-previous")
        reconciled = False
        pool = engaged_first(penilai_own, prev)[:3]
        pool += engaged_first(assessed_now, prev)[: PREVIOUS_KOTA - 2 - len(pool)]
        for ormas in pool:
            assessor = penilai if ormas.pk in self.assigned else penilai2
            if assessor == penilai and not reconciled:
                self._case(ormas, prev, "final_reconciled", admin, None, penilai, second=penilai2)
                reconciled = True
            else:
                self._case(ormas, prev, "final", admin, None, assessor)
        fates = ["published"] * 2 + ["final"] * (PREVIOUS_KAB - 2)
        rng.shuffle(fates)
        previous_kab = engaged_first(kab_order[:CURRENT_KAB], prev_kab)[: PREVIOUS_KAB - 3]
        previous_kab += kab_order[CURRENT_KAB : CURRENT_KAB + 3]
        for ormas, fate in zip(previous_kab, fates, strict=False):
            self._case(ormas, prev_kab, fate, admin_kab, None, penilai_kab)

        self._global_steps()
        for case in self.cases:
            self._steps(case)
        self.steps.sort(key=lambda item: (item[0], item[1]))

    def _case(
        self,
        ormas: Ormas,
        period: Period,
        fate: str,
        admin: User,
        editor: User | None,
        assessor: User | None,
        design: str = "",
        *,
        second: User | None = None,
    ) -> None:
        key = CURRENT if period.start.year == self.years[CURRENT] else PREVIOUS
        self.cases.append(
            Case(ormas, period, key, fate, admin, editor, assessor, second, design or "")
        )

    def _add(self, case: Case | None, at: dt.datetime, action: str, **data: Any) -> None:
        step = Step(at, action, data)
        if case is not None:
            case.steps.append(step)
        self.steps.append((at, len(self.steps), case, step))

    def _log_moment(self, period: Period, state: str) -> dt.datetime:
        return next(c.at for c in state_log(period) if c.new_state == state)

    def _global_steps(self) -> None:
        prev = self.periods[(KOTA_BLITAR, PREVIOUS)]
        opened = self._log_moment(prev, PeriodState.OPEN)
        self._add(None, opened - dt.timedelta(days=14), "instrument_load")
        self._add(None, opened - dt.timedelta(days=12), "instrument_publish")
        for (region, _key), period in self.periods.items():
            start = self._log_moment(period, PeriodState.OPEN)
            self._add(None, self._after(start, 2, 6), "standard", period=period, region=region)
        for period in self.next_periods:
            start = self._log_moment(period, PeriodState.OPEN)
            self._add(
                None,
                self._after(start, 2, 6),
                "standard",
                period=period,
                region=period.region_id,
                newest=True,
            )
        # Kota Blitar starts assessing this year's period once the late programmes are in.
        period = self.periods[(KOTA_BLITAR, CURRENT)]
        submitted = StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Programme),
            object_id__in=list(
                Programme.objects.filter(period=period).values_list("pk", flat=True)
            ),
            action="submit",
        ).order_by("-at")
        earliest, latest = (self.today - dt.timedelta(days=d) for d in MOVE_DAYS_BEFORE)
        move = self._moment(earliest, 8, 30)
        last = submitted.values_list("at", flat=True).first()
        if last is not None and last + dt.timedelta(hours=1) > move:
            move = last + dt.timedelta(hours=1)
        self.move = min(move, self._moment(latest, 8, 30))
        if period.state == PeriodState.OPEN:
            self._add(None, self.move, "move", period=period, region=KOTA_BLITAR)
        else:  # moved by an earlier load of this stage (the planning demo left it open)
            self.move = self._log_moment(period, PeriodState.ASSESSMENT)
        self._add(None, self.move + dt.timedelta(hours=2), "rule", region=KOTA_BLITAR)
        self._add(None, self._after(self.move, 3, 6), "rule", region=KAB_BLITAR)

    # -- the steps of one case

    def _steps(self, case: Case) -> None:
        truth, claimed = self._answers(case)
        spec_codes = list(SELF_CODES)
        if case.key == PREVIOUS:
            self._previous_steps(case, truth, claimed, spec_codes)
        else:
            self._current_steps(case, truth, claimed, spec_codes)

    def _previous_steps(
        self, case: Case, truth: dict[str, str], claimed: dict[str, str], codes: list[str]
    ) -> None:
        period = case.period
        due = period.self_assessment_due or period.end + dt.timedelta(days=31)
        verify_due = period.verification_due or due + dt.timedelta(days=28)
        started = self._log_moment(period, PeriodState.ASSESSMENT)
        published = self._log_moment(period, PeriodState.PUBLISHED)
        closed = self._log_moment(period, PeriodState.CLOSED)
        opened = self._at(due - dt.timedelta(days=self.rng.randint(22, 30)))
        self._add(case, opened, "open")
        self._add(case, self._after(opened, 0, 2), "assign")
        answered = self._after(opened, 1, 8)
        self._add(case, answered, "answer", values=claimed, codes=codes)
        submitted = self._after(answered, 1, 8, self._moment(due, 15))
        self._add(case, submitted, "submit")
        verified = self._after(
            max(started, submitted), 1, 14, self._moment(verify_due - dt.timedelta(days=4), 15)
        )
        checked = self._verdicts(case, truth, claimed)
        self._add(case, verified, "verify", values=checked, by="first")
        done = verified
        if case.second is not None:
            second = self._second_opinion(case, checked)
            done = self._after(verified, 0, 2)
            self._add(case, done, "verify", values=second, by="second")
        done = self._after(done, 0, 2, self._moment(verify_due, 15))
        self._add(case, done, "complete")
        if case.second is not None:
            done = self._after(done, 0, 1, self._moment(verify_due, 16))
            self._add(case, done, "reconcile")
        # Kesbangpol announces all results of the region on one morning after verification.
        announce = self._moment(verify_due + dt.timedelta(days=3), 10)
        self._add(case, max(announce, done + dt.timedelta(hours=1)), "publish")
        until = services.appeal_deadline(period, announce.date())
        last_step = announce
        if case.design:
            filed = self._at(announce.date() + dt.timedelta(days=self.rng.randint(5, 12)))
            self._add(case, filed, "appeal", design=case.design)
            last_step = self._after(filed, 5, 10, published - dt.timedelta(days=2))
            self._add(case, last_step, "decide", design=case.design)
        elif case.fate != "published":
            finalised = self._moment(until + dt.timedelta(days=self.rng.randint(1, 4)), 9)
            last_step = min(finalised, published - dt.timedelta(hours=2))
            self._add(case, last_step, "finalise")
        if self.rng.random() < 0.45 or case.design:
            when = self._between(published + dt.timedelta(days=1), closed - dt.timedelta(days=2))
            self._add(case, max(when, last_step + dt.timedelta(days=1)), "follow_up", count=2)
            if case.editor is not None or self.rng.random() < 0.5:
                update = self._between(
                    closed + dt.timedelta(days=20), self.latest - dt.timedelta(days=30)
                )
                self._add(case, update, "follow_up_update")

    def _current_steps(
        self, case: Case, truth: dict[str, str], claimed: dict[str, str], codes: list[str]
    ) -> None:
        fate = case.fate
        today = self.today
        move = self.move if case.period.region_id == KOTA_BLITAR else None
        early = fate in ("published", "appeal", "appeal_decided")
        if early:
            opened = self._at(today - dt.timedelta(days=self.rng.randint(52, 60)))
        else:
            opened = self._at(today - dt.timedelta(days=self.rng.randint(35, 50)))
        self._add(case, opened, "open")
        if case.assessor is not None:
            self._add(case, self._after(opened, 0, 3), "assign")
        if fate == "draft_empty":
            return
        answered = self._after(opened, 1, 10)
        if fate == "draft":
            chosen = sorted(self.rng.sample(codes, self.rng.randint(3, 5)), key=codes.index)
            evidence = [c for c in chosen if self.rng.random() < 0.6]
            self._add(case, answered, "answer", values=claimed, codes=chosen, evidence=evidence)
            return
        self._add(case, answered, "answer", values=claimed, codes=codes)
        if early:
            limit = move - dt.timedelta(days=6) if move else self.latest
            submitted = self._after(answered, 1, 6, limit)
        else:
            submitted = self._after(answered, 2, 15, self.latest - dt.timedelta(days=2))
        self._add(case, submitted, "submit")
        checked = self._verdicts(case, truth, claimed)
        if fate in ("submitted",):
            return
        if early:
            verify_limit = move - dt.timedelta(days=2) if move else self.latest
        else:
            verify_limit = self.latest - dt.timedelta(hours=3)
        verified = self._after(submitted, 1, 8, verify_limit)
        if fate == "partly_verified":
            subset = self.rng.sample(sorted(checked), self.rng.randint(4, 10))
            self._add(case, verified, "verify", values={c: checked[c] for c in subset}, by="first")
            return
        self._add(case, verified, "verify", values=checked, by="first")
        done = verified
        if case.second is not None:
            done = self._after(verified, 0, 2, self.latest - dt.timedelta(hours=2))
            self._add(case, done, "verify", values=self._second_opinion(case, checked), by="second")
        done = self._after(done, 0, 2, verify_limit + dt.timedelta(hours=1))
        self._add(case, done, "complete")
        if fate == "reconciled":
            self._add(case, self._after(done, 1, 3, self.latest), "reconcile")
        if fate in ("reconciliation", "reconciled", "verified"):
            return
        assert move is not None, "only Kota Blitar's period publishes this year"
        span = self.latest - move
        batches = {
            "appeal_decided": move + dt.timedelta(days=1),
            "appeal": move + span * 0.45,
        }
        if case.editor is not None and case.editor.username == "operator2":
            announce = self.latest - dt.timedelta(days=1)  # well inside its appeal window
        else:
            announce = batches.get(
                fate, self.rng.choice((move + dt.timedelta(days=1), move + span * 0.45))
            )
        announce = self._moment(announce.date(), 10, len(case.steps))
        self._add(case, announce, "publish")
        if fate in ("appeal", "appeal_decided"):
            filed = self._after(announce, 1, 2, self.latest - dt.timedelta(days=3))
            self._add(case, filed, "appeal", design=case.design)
            if fate == "appeal_decided":
                decided = self._after(filed, 3, 5, self.latest)
                self._add(case, decided, "decide", design=case.design)
        elif self.rng.random() < 0.35:
            self._add(case, self._after(announce, 1, 3, self.latest), "follow_up", count=1)

    # -- answers

    def _quality(self, case: Case) -> float:
        """How well the ormas is run, 0–1: its own lasting trait (drawn from the seed and its
        name, so the same in both periods), a little better this year, and better where it
        plans and reports its programmes."""
        trait = random.Random(f"sipko-demo-quality-{self.seed}-{case.ormas.name}")
        quality = trait.betavariate(3.0, 1.6) + (0.05 if case.key == CURRENT else 0.0)
        states = self.programmes.get((case.ormas.pk, case.period.pk), [])
        if ProgrammeState.ACCEPTED in states:
            quality += 0.1
        elif not states:
            quality -= 0.15
        return min(1.0, max(0.0, quality + self.rng.gauss(0, 0.05)))

    def _answers(self, case: Case) -> tuple[dict[str, str], dict[str, str]]:
        """What is true (what the evidence supports) and what the ormas claims."""
        rng, ormas = self.rng, case.ormas
        quality = self._quality(case)
        office = {"milik": 4, "sewa": 3, "pinjam": 2, "tidak_ada": 1}.get(ormas.office)
        members = ormas.members_count
        if members:
            active = max(3, min(120, round(members * (0.15 + 0.6 * quality))))
        else:
            active = max(3, round(4 + 40 * quality + rng.gauss(0, 3)))
        finance = self.finance.get((ormas.pk, case.period.pk))
        if finance is not None:
            sources = finance.income_sources_used
            reporting = 4 if finance.audited else 3 if finance.reported else 2
        else:
            sources = max(0, min(3, round(3 * quality + rng.gauss(0, 0.6))))
            reporting = 1 if quality < 0.25 else 2 if quality < 0.7 else 3
        bank = ormas.has_bank_account
        if bank is None:
            bank = rng.random() < quality
        reached = self.participants.get((ormas.pk, case.period.pk), 0)
        if reached:
            beneficiaries = round(reached * (1.0 + 2.5 * quality)) + rng.randint(0, 40)
        else:
            beneficiaries = round(20 + 600 * quality**2) + rng.randint(0, 30)
        partners = max(0, min(7, round(6 * quality + rng.gauss(0, 0.8))))
        truth = {
            "KEL4": str(office or rng.choice((1, 2))),
            "SDM1": str(active),
            "SDM2": str(sources),
            "SDM3": str(reporting),
            "SDM4": "ya" if bank else "tidak",
            "MNF1": str(beneficiaries),
            "MNF3": str(partners),
        }
        claimed = dict(truth)
        inflate = {"KEL4": 0.2, "SDM1": 0.2, "SDM2": 0.1, "SDM3": 0.15, "SDM4": 0.1}
        inflate |= {"MNF1": 0.25, "MNF3": 0.2}
        for code, chance in inflate.items():
            if rng.random() < chance:
                claimed[code] = _inflated(code, truth[code], rng)
        designed = {
            "operator2-previous": ("SDM3", "2", "3"),
            "operator4": ("KEL4", "2", "3"),
            "operator3": ("MNF1", "140", "320"),
        }.get(case.design)
        if designed:
            code, true_value, claim = designed
            truth[code], claimed[code] = true_value, claim
        # The assessor's own indicators.
        states = self.programmes.get((ormas.pk, case.period.pk), [])
        if ProgrammeState.ACCEPTED in states:
            plan = 4 if quality > 0.55 else 3
        elif states:
            plan = 2
        else:
            plan = 1
        bidang = self.bidang.get(ormas.pk, set())
        lean = 0.6 if bidang & HARMONY_BIDANG else 0.0
        harmony = max(1, min(4, round(1 + 2.5 * quality + lean + rng.gauss(0, 0.4))))
        truth |= {"PRG1": str(plan), "MNF4": str(harmony)}
        if case.design == "operator-previous":  # room for the appeal to raise both
            truth["MNF3"] = claimed["MNF3"] = "1"
            truth["MNF1"] = claimed["MNF1"] = str(min(int(truth["MNF1"]), 240))
        return truth, claimed

    def _verdicts(
        self, case: Case, truth: dict[str, str], claimed: dict[str, str]
    ) -> dict[str, tuple[str | None, str]]:
        """The first assessor: accept what the evidence supports, correct the rest with a reason.

        None as value means "as it stands" (a system value is accepted as computed)."""
        verdicts: dict[str, tuple[str | None, str]] = {}
        for code in SELF_CODES:
            if claimed[code] == truth[code]:
                verdicts[code] = (claimed[code], "")
            else:
                verdicts[code] = (truth[code], _correction(code, truth[code]))
        for code in ASSESSOR_CODES:
            verdicts[code] = (truth[code], "")
        for code in ("KEL1", "KEL2", "KEL3", "PRG2", "PRG3", "PRG4", "MNF2"):
            verdicts[code] = (None, "")
        return verdicts

    def _second_opinion(
        self, case: Case, verdicts: dict[str, tuple[str | None, str]]
    ) -> dict[str, tuple[str | None, str]]:
        """The second assessor agrees except on one indicator (two for some)."""
        second = dict(verdicts)
        codes = ["MNF4", "PRG1"] if self.rng.random() < 0.4 else [self.rng.choice(("MNF4", "PRG1"))]
        for code in codes:
            value = int(verdicts[code][0] or 2)
            other = value - 1 if value > 1 else value + 1
            second[code] = (str(other), SECOND_OPINIONS[code])
        return second

    # -- running the timeline

    def _run(self) -> None:
        total = len(self.steps)
        for done, (at, _order, case, step) in enumerate(self.steps, start=1):
            self.clock.at(at)
            period = case.period if case is not None else step.data.get("period")
            if period is not None and period.pk in self.replays:
                replay = self.replays[period.pk]
                replay.to(replay.state_at(at))
            handler = getattr(self, f"_do_{step.action}")
            if case is None:
                handler(**step.data)
            else:
                handler(case, **step.data)
            if done % 25 == 0 or done == total:
                self.progress(_("penilaian kinerja"), done, total)

    def _tick(self, minutes: int = 1) -> None:
        assert self.clock.moment is not None
        self.clock.at(self.clock.moment + dt.timedelta(minutes=minutes))

    def _do_instrument_load(self) -> None:
        loaded = [self._load(path) for path in scoring.DEFAULT_INSTRUMENT_FILES]
        self.instrument, self.newest = loaded[0], loaded[-1]
        self.summary.instrument = ", ".join(str(found) for found in loaded)

    def _load(self, path: Path) -> Instrument:
        text = path.read_bytes()
        spec = scoring.load_instrument_yaml(text)
        found = Instrument.objects.filter(code=spec.code, version=spec.version).first()
        if found is None or not found.is_published:
            found = services.instrument_load(actor=None, text=text, region_code=None)
        if found.status == InstrumentStatus.RETIRED:
            raise registry_demo.DemoRefused(
                _("Instrumen %(name)s sudah tidak dipakai lagi; data demo tidak dimuat.")
                % {"name": found}
            )
        return found

    def _do_instrument_publish(self) -> None:
        for instrument in (self.instrument, self.newest):
            assert instrument is not None
            if not instrument.is_published:
                services.instrument_publish(
                    actor=self.users["admin_nasional"], instrument=instrument
                )

    def _do_standard(self, period: Period, region: str, newest: bool = False) -> None:
        instrument = self.newest if newest else self.instrument
        assert instrument is not None
        services.period_standard_set(
            actor=self.admins[region], period=period, instrument=instrument
        )
        self.summary.periods += 1

    def _do_move(self, period: Period, region: str) -> None:
        planning.period_move(actor=self.admins[region], period=period, action="start_assessment")

    def _do_rule(self, region: str) -> None:
        year = self.years[CURRENT] + 1
        services.eligibility_rule_save(
            actor=self.admins[region],
            region_code=region,
            name=f"Layak hibah APBD {year} {DEMO_SUFFIX}",
            predicates=ELIGIBILITY_PREDICATES,
            description=(
                f"Ormas dengan predikat akhir A atau B pada Periode Penilaian {year - 1} dapat "
                f"diusulkan menerima hibah APBD {year}, setelah memenuhi syarat administrasi "
                "hibah. Contoh fiktif untuk data demo."
            ),
        )
        self.summary.rules += 1

    def _do_open(self, case: Case) -> None:
        case.assessment = services.assessment_open(
            actor=case.editor or case.admin, ormas=case.ormas, period=case.period
        )

    def _do_assign(self, case: Case) -> None:
        assert case.assessment is not None and case.assessor is not None
        services.assessment_assign(
            actor=case.admin,
            assessment=case.assessment,
            assessor=case.assessor,
            second_assessor=case.second,
            declared=True,
        )

    def _answers_of(self, case: Case) -> dict[str, Any]:
        assert case.assessment is not None
        return {answer.indicator: answer for answer in case.assessment.answers.all()}

    def _do_answer(
        self,
        case: Case,
        values: dict[str, str],
        codes: list[str],
        evidence: list[str] | None = None,
    ) -> None:
        answers = self._answers_of(case)
        spec = case.assessment.instrument.spec  # type: ignore[union-attr]
        with_files = codes if evidence is None else evidence
        for code in codes:
            notes = SELF_NOTES.get(code, ())
            note = self.rng.choice(notes) if notes and self.rng.random() < 0.3 else ""
            services.answer_save(
                actor=case.editor, answer=answers[code], value=values[code], note=note
            )
            self._tick()
            if code in with_files and spec.indicator(code).evidence:
                services.answer_file_add(
                    actor=case.editor, answer=answers[code], upload=self._evidence(code)
                )
                self.summary.evidence += 1
                self._tick()

    def _do_submit(self, case: Case) -> None:
        assert case.assessment is not None
        services.assessment_submit(actor=case.submitter, assessment=case.assessment)

    def _do_verify(self, case: Case, values: dict[str, tuple[str | None, str]], by: str) -> None:
        actor = case.assessor if by == "first" else case.second
        assert actor is not None
        answers = self._answers_of(case)
        for code, (value, reason) in values.items():
            answer = answers[code]
            verified = answer.value if value is None else value
            if verified != answer.value and not reason and by == "second":
                reason = SECOND_OPINIONS.get(code, "")
            services.answer_verify(actor=actor, answer=answer, value=verified, reason=reason)
            self._tick()

    def _do_complete(self, case: Case) -> None:
        assert case.assessment is not None and case.assessor is not None
        services.assessment_complete(actor=case.assessor, assessment=case.assessment)

    def _do_reconcile(self, case: Case) -> None:
        assessment = case.assessment
        assert assessment is not None
        day = timezone.localdate()
        reason = RECONCILE_REASON.format(date=planning_demo._indonesian_date(day))
        for answer in assessment.answers.all():
            if answer.disagreement:
                # The plenary settles on the more cautious (lower) of the two levels.
                value = min(answer.verified_value, answer.second_value, key=Decimal)
                services.answer_reconcile(
                    actor=case.admin, answer=answer, value=value, reason=reason
                )
                self._tick()
        services.assessment_reconciled(actor=case.admin, assessment=assessment)

    def _do_publish(self, case: Case) -> None:
        assert case.assessment is not None
        services.assessment_publish(actor=case.admin, assessment=case.assessment)

    def _do_appeal(self, case: Case, design: str) -> None:
        assert case.assessment is not None and case.editor is not None
        indicators, grounds, _decision, _reason = APPEALS[design]
        services.appeal_file(
            actor=case.editor,
            assessment=case.assessment,
            grounds=grounds,
            indicators=indicators,
            uploads=[self._evidence(indicators[0], attachment=True)],
        )

    def _do_decide(self, case: Case, design: str) -> None:
        assessment = case.assessment
        assert assessment is not None
        indicators, _grounds, decision, reason = APPEALS[design]
        changes = {}
        if decision != AppealState.REJECTED:
            spec = assessment.instrument.spec
            counted = services.counted_values(assessment)
            code = indicators[0]
            changes[code] = _raised(spec.indicator(code), counted[code])
        services.appeal_decide(
            actor=case.admin,
            appeal=Appeal.objects.get(assessment=assessment),
            decision=decision,
            reason=reason,
            changes=changes,
        )

    def _do_finalise(self, case: Case) -> None:
        assert case.assessment is not None
        services.assessment_finalise(actor=case.admin, assessment=case.assessment)

    def _do_follow_up(self, case: Case, count: int) -> None:
        assessment = case.assessment
        assert assessment is not None
        year = self.years[CURRENT]
        for number, item in enumerate(selectors.recommendations(assessment, assessment.result)):
            if number >= count:
                break
            due = dt.date(year, 9, 30) if case.key == PREVIOUS else dt.date(year + 1, 6, 30)
            services.follow_up_create(
                actor=case.admin,
                assessment=assessment,
                action=item.advice,
                indicator=item.indicator.code,
                due=due,
            )
            self._tick()

    def _do_follow_up_update(self, case: Case) -> None:
        assert case.assessment is not None
        actor = case.editor or case.admin
        for follow_up in FollowUp.objects.filter(assessment=case.assessment).order_by("pk"):
            state = self.rng.choice((FollowUpState.IN_PROGRESS, FollowUpState.DONE))
            services.follow_up_update(
                actor=actor,
                follow_up=follow_up,
                state=state,
                progress_note=self.rng.choice(FOLLOW_UP_NOTES[state]),
            )
            self._tick()
            break  # the first one moved; the other stays open, carried into this year

    # -- files

    def _evidence(self, code: str, *, attachment: bool = False) -> SimpleUploadedFile:
        """A small invented "scan" or photo for an answer, labelled as fictional."""
        variant = self.rng.randint(0, 2)
        key = (code + ("-keberatan" if attachment else ""), variant)
        if key not in self.images:
            self.images[key] = _evidence_image(
                EVIDENCE_LABELS.get(code, "BUKTI DUKUNG"), variant, attachment
            )
        data = self.images[key]
        if data[:4] == b"\x89PNG":
            return SimpleUploadedFile(f"bukti-{code.lower()}.png", data, "image/png")
        return SimpleUploadedFile(f"bukti-{code.lower()}.jpg", data, "image/jpeg")

    # -- counting

    def _count(self) -> None:
        demo = Assessment.objects.filter(ormas__is_demo=True)
        self.summary.states = Counter(demo.values_list("state", flat=True))
        previous = [p.pk for (_r, key), p in self.periods.items() if key == PREVIOUS]
        self.summary.previous = Counter(
            demo.filter(period__in=previous).values_list("state", flat=True)
        )
        self.summary.previous_year = self.years[PREVIOUS]
        appeals = Appeal.objects.filter(assessment__in=demo)
        self.summary.appeals = appeals.count()
        self.summary.appeals_pending = appeals.filter(state=AppealState.PENDING).count()
        self.summary.follow_ups = FollowUp.objects.filter(assessment__in=demo).count()


def _inflated(code: str, value: str, rng: random.Random) -> str:
    """What an ormas claims when it claims too much."""
    if code in ("KEL4", "SDM3"):
        return str(min(4, int(value) + 1))
    if code == "SDM4":
        return "ya"
    if code == "SDM2":
        return str(int(value) + 1)
    return str(max(int(value) + 3, round(int(value) * rng.uniform(1.5, 2.5))))


def _correction(code: str, value: str) -> str:
    reason = CORRECTIONS.get((code, value)) or CORRECTIONS.get((code, ""), "")
    return reason.format(n=value)


def _raised(indicator: scoring.Indicator, value: str) -> str:
    """The value one level or band above `value` (what a granted appeal sets)."""
    if indicator.type == "level":
        top = max(level.value for level in indicator.levels)
        return str(min(top, Decimal(value or "1") + 1))
    if indicator.type == "banded":
        current = Decimal(value or "0")
        higher = [t for t in indicator.thresholds if t > current]
        return str(higher[0] if higher else current + 5)
    if indicator.type == "yesno":
        return "ya"
    return value


def _evidence_image(label: str, variant: int, attachment: bool) -> bytes:
    """A few-KB image reading e.g. "FOTO SEKRETARIAT — DOKUMEN FIKTIF - DATA DEMO SIPKO"."""
    palette = ((236, 232, 220), (224, 234, 240), (238, 228, 236))
    image = Image.new("RGB", (240, 160), palette[variant % len(palette)])
    draw = ImageDraw.Draw(image)
    draw.rectangle((6, 6, 233, 153), outline=(60, 60, 60))
    for row in range(6):  # lines of "text" on the invented document
        y = 64 + row * 13
        draw.line((18, y, 210 - (row * 17 + variant * 11) % 70, y), fill=(120, 120, 120), width=3)
    draw.text((14, 14), label[:34], fill=(20, 20, 20))
    draw.text((14, 30), "DOKUMEN FIKTIF - DATA DEMO SIPKO", fill=(150, 30, 30))
    if attachment:
        draw.text((14, 44), "LAMPIRAN KEBERATAN", fill=(20, 20, 20))
    buffer = io.BytesIO()
    if variant % 2:
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "JPEG", quality=60)
    return buffer.getvalue()


# --- Reset ------------------------------------------------------------------------------------


@transaction.atomic
def demo_reset() -> tuple[int, int]:
    """Remove the assessment demo: the demo ormas' assessments (answers, evidence and files,
    appeals, follow-ups, state log), the demo periods' standards, the demo eligibility rules and
    the extra demo accounts. The default instrument stays: it is the national standard, not demo
    data, and is used again when the demo is loaded.

    Returns (assessments, accounts) deleted. Runs before the planning and registry resets (an
    assessment protects its period and assessors from deletion).
    """
    assessments = Assessment.objects.filter(ormas__is_demo=True)
    files = [
        *AnswerFile.objects.filter(answer__assessment__in=assessments).values_list(
            "file", flat=True
        ),
        *AppealFile.objects.filter(appeal__assessment__in=assessments).values_list(
            "file", flat=True
        ),
    ]
    StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Assessment),
        object_id__in=list(assessments.values_list("pk", flat=True)),
    ).delete()
    count = assessments.count()
    assessments.delete()
    demo_periods = Period.objects.filter(region_id__in=REGIONS, name__endswith=DEMO_SUFFIX)
    PeriodStandard.objects.filter(period__in=demo_periods).exclude(
        period__in=Assessment.objects.values("period")
    ).delete()
    EligibilityRule.objects.filter(region_id__in=REGIONS, name__endswith=DEMO_SUFFIX).delete()
    extra = User.objects.filter(
        username__in=EXTRA_USERNAMES, email__endswith="@" + registry_demo.DEMO_EMAIL_DOMAIN
    ).exclude(pk__in=Assessment.objects.filter(assessor__isnull=False).values("assessor"))
    extra = extra.exclude(
        pk__in=Assessment.objects.filter(second_assessor__isnull=False).values("second_assessor")
    )
    Assignment.objects.filter(assessor__in=extra).delete()
    accounts = extra.delete()[1].get(User._meta.label, 0)
    transaction.on_commit(lambda: _delete_files(files))
    return count, accounts


def _delete_files(names: list[str]) -> None:
    storage = AnswerFile._meta.get_field("file").storage
    folders: set[str] = set()
    for name in names:
        if name:
            storage.delete(name)
            folders.add(posixpath.dirname(name))
    # Each assessment and appeal had its own folder (`assessment/<uuid>`); remove the empty ones.
    for folder in sorted(folders, key=len, reverse=True):
        with suppress(NotImplementedError, OSError):
            os.rmdir(storage.path(folder))


def summary_line(summary: AssessmentSummary) -> str:
    """The one line `seed_demo` prints for this stage."""
    states = summary.states
    return _(
        "Penilaian kinerja: instrumen %(instrument)s untuk %(periods)s periode, %(total)s "
        "penilaian (%(draft)s penilaian mandiri, %(submitted)s menunggu verifikasi, "
        "%(reconciliation)s rekonsiliasi, %(verified)s terverifikasi, %(published)s diumumkan, "
        "%(appeal)s keberatan, "
        "%(final)s final; periode %(year)s: %(prev_final)s final, %(prev_published)s diumumkan), "
        "%(appeals)s keberatan (%(pending)s menunggu keputusan), %(evidence)s bukti dukung, "
        "%(follow_ups)s tindak lanjut pembinaan, %(rules)s syarat kelayakan hibah; akun demo "
        "tambahan: %(accounts)s (kata sandi sama)."
    ) % {
        "instrument": summary.instrument,
        "periods": summary.periods,
        "total": summary.total,
        "draft": states[AssessmentState.DRAFT],
        "submitted": states[AssessmentState.SUBMITTED],
        "reconciliation": states[AssessmentState.RECONCILIATION],
        "verified": states[AssessmentState.VERIFIED],
        "published": states[AssessmentState.PUBLISHED],
        "appeal": states[AssessmentState.APPEAL],
        "final": states[AssessmentState.FINAL],
        "year": summary.previous_year,
        "prev_final": summary.previous[AssessmentState.FINAL],
        "prev_published": summary.previous[AssessmentState.PUBLISHED],
        "appeals": summary.appeals,
        "pending": summary.appeals_pending,
        "evidence": summary.evidence,
        "follow_ups": summary.follow_ups,
        "rules": summary.rules,
        "accounts": ", ".join(summary.accounts),
    }
