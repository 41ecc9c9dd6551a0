"""Planning and reporting for the fictional Blitar Raya demo (SPEC §3.3–3.4, §6 `seed_demo`).

Runs after the registry demo (`sipko.registry.demo`), in the same transaction, and writes only
through the planning and reporting services, so every row has its history and state log.

Two halves, like the registry demo:

- `plan_demo` is plain Python: from a seed, a day and the demo ormas it draws the programmes,
  activity reports and financial summaries, each with the dates on which it was written, submitted
  and reviewed. Titles depend only on the seed and the ormas, never on the day.
- `demo_seed` writes the RPJMD of both regions, a closed and an open period per region, next
  year's period of Kota Blitar (open for programmes), and then the plan; `demo_reset` removes all
  of it again.

The services stamp `timezone.now()` on submissions, reviews, history rows and the state log. A
demo in which everything was submitted today could not show "reported on time" or "late", so
while the writer runs, `_Clock` answers `timezone.now()` with the moment planned for the call
in progress: a report planned for 10 July is saved, submitted, logged and stamped on 10 July, by
the services themselves. Nothing is changed behind the services' back afterwards.

Dates follow the day of loading: the open period is this calendar year once its first semester's
reports are well past due (from mid-August), else last year, so some reports are always overdue.
The assessment demo then moves Kota Blitar's open period to *assessment*, which ends programme
submission there; so Kota Blitar has also opened the following year's period some five weeks
before the day of loading, and its operators send next year's programmes into it. Whatever the
day, each demo region has a period open for programme submission.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import posixpath
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from sipko.accounts.models import User
from sipko.planning import services as planning
from sipko.planning.models import (
    Aggregation,
    FundingSource,
    Period,
    Polarity,
    Programme,
    ProgrammeIndicator,
    ProgrammeState,
    ReportFrequency,
    Rpjmd,
    RpjmdItem,
    RpjmdLevel,
)
from sipko.regions.models import Region
from sipko.registry import demo as registry_demo
from sipko.registry.models import ActivityStatus, Assignment, Bidang, Ormas
from sipko.reporting import services as reporting
from sipko.reporting.models import (
    ActivityReport,
    Evidence,
    FinancialSummary,
)
from sipko.workflow.models import StateChange

KOTA_BLITAR = registry_demo.KOTA_BLITAR
KAB_BLITAR = registry_demo.KAB_BLITAR
REGIONS = (KOTA_BLITAR, KAB_BLITAR)
# Demo periods and RPJMD carry this suffix in their name/title; `demo_reset` removes only those.
DEMO_SUFFIX = "(demo)"
RPJMD_YEARS = (2025, 2029)
# (month, day) from which the open period is this year: semester 1 reports (due 15 July) are then
# a month overdue. Before it, the open period is last year's (assessed early in the next year).
OPEN_YEAR_FROM = (8, 15)
REPORT_DUE_DAYS = 15
CURRENT, PREVIOUS, NEXT = "current", "previous", "next"
# Next year's period: in Kota Blitar only (whose current period the assessment demo moves to
# *assessment*), opened this many days before the day of loading at the latest.
NEXT_REGIONS = (KOTA_BLITAR,)
NEXT_OPENED_DAYS_BEFORE = 35
# Kota Blitar ormas (besides the operators') that have sent next year's programme, by state.
NEXT_PROGRAMME_STATES = ("submitted",) * 4 + ("accepted",) * 2 + ("returned", "draft")
EVIDENCE_REPORTS = 30

# --- The RPJMD --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    code: str
    text: str
    unit: str = ""


KOTA_VISI = "Kota Blitar yang Maju, Sehat, dan Sejahtera Menuju Kota Masa Depan"
KAB_VISI = "Kabupaten Blitar Berdaya dan Berjaya"
KOTA_NOTE = (
    "Data demo SIPKO. Visi dan dasar hukum dari sumber publik. Rumusan kelima misi masih "
    "rancangan (belum pasti): cocokkan dengan naskah Perda sebelum dipakai. Tujuan, sasaran dan "
    "indikator di bawahnya ilustratif, bukan rumusan resmi."
)
KAB_NOTE = (
    "Data demo SIPKO. Visi dari sumber publik; rumusan misi belum dipublikasikan di sumber yang "
    "kami periksa. Semua misi, tujuan, sasaran dan indikator di sini ilustratif (contoh agar "
    "program kerja demo dapat dikaitkan), bukan rumusan resmi."
)

# Kota Blitar: the five misi are the (draft) published wording; everything below is illustrative.
KOTA_MISI = (
    _Item("M1", "Mewujudkan Kota Blitar yang Pancasilais, religius dan nasionalis"),
    _Item("M2", "Mewujudkan Kota Blitar yang sehat, sejahtera, aman dan bahagia"),
    _Item("M3", "Mewujudkan tata kelola pemerintahan yang cerdas (smart governance)"),
    _Item("M4", 'Mewujudkan "Generasi Emas" melalui pendidikan karakter dan kesetaraan'),
    _Item(
        "M5",
        "Mewujudkan Kota Blitar sebagai pusat perdagangan, jasa, pariwisata dan industri "
        "berwawasan lingkungan",
    ),
)
KOTA_TREE: tuple[_Item, ...] = (
    _Item("M1.T1", "Meningkatnya kerukunan dan kehidupan beragama yang toleran"),
    _Item("M1.T1.S1", "Meningkatnya kegiatan keagamaan dan kerukunan antarumat"),
    _Item("M1.T1.S1.I1", "Kegiatan lintas iman yang difasilitasi", "kegiatan"),
    _Item("M1.T2", "Menguatnya wawasan kebangsaan dan ketahanan sosial"),
    _Item("M1.T2.S1", "Meningkatnya partisipasi warga dalam pembinaan wawasan kebangsaan"),
    _Item("M1.T2.S1.I1", "Kelurahan dengan forum kebangsaan aktif", "%"),
    _Item("M1.T2.S2", "Menurunnya potensi konflik sosial"),
    _Item("M1.T2.S2.I1", "Konflik sosial yang terjadi", "kejadian"),
    _Item("M2.T1", "Meningkatnya derajat kesehatan masyarakat"),
    _Item("M2.T1.S1", "Meningkatnya layanan kesehatan berbasis masyarakat"),
    _Item("M2.T1.S1.I1", "Posyandu aktif", "%"),
    _Item("M2.T1.S2", "Menurunnya prevalensi stunting"),
    _Item("M2.T1.S2.I1", "Prevalensi stunting balita", "%"),
    _Item("M2.T2", "Meningkatnya kesejahteraan sosial dan ketangguhan bencana"),
    _Item("M2.T2.S1", "Meningkatnya penanganan warga rentan dan penyandang masalah sosial"),
    _Item("M2.T2.S1.I1", "Warga rentan yang mendapat pendampingan", "orang"),
    _Item("M2.T2.S2", "Meningkatnya kesiapsiagaan masyarakat menghadapi bencana"),
    _Item("M2.T2.S2.I1", "Kelurahan tangguh bencana", "kelurahan"),
    _Item("M3.T1", "Meningkatnya partisipasi masyarakat dalam tata kelola pemerintahan"),
    _Item("M3.T1.S1", "Meningkatnya keterlibatan organisasi kemasyarakatan dalam pembangunan"),
    _Item("M3.T1.S1.I1", "Ormas yang melaporkan kegiatan", "%"),
    _Item("M3.T1.S2", "Meningkatnya literasi hukum dan demokrasi warga"),
    _Item("M3.T1.S2.I1", "Warga yang mengikuti pendidikan politik dan hukum", "orang"),
    _Item("M4.T1", "Meningkatnya mutu pendidikan dan karakter generasi muda"),
    _Item("M4.T1.S1", "Meningkatnya budaya literasi dan pendidikan karakter"),
    _Item("M4.T1.S1.I1", "Taman baca masyarakat yang aktif", "unit"),
    _Item("M4.T1.S2", "Meningkatnya peran dan prestasi pemuda"),
    _Item("M4.T1.S2.I1", "Pemuda penggerak dan wirausaha muda", "orang"),
    _Item("M4.T2", "Meningkatnya kesetaraan gender dan perlindungan anak"),
    _Item("M4.T2.S1", "Meningkatnya pemberdayaan perempuan dan perlindungan anak"),
    _Item("M4.T2.S1.I1", "Indeks pemberdayaan gender", "indeks"),
    _Item("M5.T1", "Meningkatnya daya saing ekonomi lokal dan pariwisata"),
    _Item("M5.T1.S1", "Meningkatnya jumlah dan daya saing UMKM"),
    _Item("M5.T1.S1.I1", "UMKM naik kelas", "unit usaha"),
    _Item("M5.T1.S2", "Meningkatnya kunjungan wisata sejarah dan budaya"),
    _Item("M5.T1.S2.I1", "Kunjungan wisatawan", "orang"),
    _Item("M5.T2", "Meningkatnya kualitas lingkungan hidup"),
    _Item("M5.T2.S1", "Meningkatnya pengelolaan sampah berbasis masyarakat"),
    _Item("M5.T2.S1.I1", "Sampah yang terkelola", "%"),
    _Item("M5.T2.S2", "Meningkatnya kualitas air sungai dan ruang terbuka hijau"),
    _Item("M5.T2.S2.I1", "Indeks kualitas air", "indeks"),
)
KAB_MISI = (
    _Item(
        "M1",
        "(Ilustratif) Meningkatkan kualitas sumber daya manusia dan kehidupan sosial yang "
        "religius dan berbudaya",
    ),
    _Item(
        "M2",
        "(Ilustratif) Memperkuat ekonomi kerakyatan berbasis pertanian, UMKM dan pariwisata desa",
    ),
    _Item(
        "M3",
        "(Ilustratif) Mewujudkan lingkungan lestari, masyarakat tangguh bencana dan tata kelola "
        "yang partisipatif",
    ),
)
KAB_TREE: tuple[_Item, ...] = (
    _Item("M1.T1", "Meningkatnya kualitas hidup dan kerukunan masyarakat desa"),
    _Item("M1.T1.S1", "Meningkatnya kegiatan sosial, keagamaan dan budaya berbasis masyarakat"),
    _Item("M1.T1.S1.I1", "Kegiatan sosial budaya berbasis masyarakat", "kegiatan"),
    _Item("M1.T1.S2", "Meningkatnya layanan kesehatan dan pendidikan di desa"),
    _Item("M1.T1.S2.I1", "Desa dengan posyandu aktif", "%"),
    _Item("M2.T1", "Meningkatnya pendapatan masyarakat desa"),
    _Item("M2.T1.S1", "Meningkatnya produktivitas kelompok tani dan UMKM"),
    _Item("M2.T1.S1.I1", "Kelompok usaha binaan yang naik kelas", "kelompok"),
    _Item("M2.T1.S2", "Meningkatnya kunjungan wisata desa"),
    _Item("M2.T1.S2.I1", "Kunjungan wisatawan ke desa wisata", "orang"),
    _Item("M3.T1", "Meningkatnya ketangguhan masyarakat dan kelestarian lingkungan"),
    _Item("M3.T1.S1", "Meningkatnya kesiapsiagaan bencana di kawasan rawan"),
    _Item("M3.T1.S1.I1", "Desa tangguh bencana", "desa"),
    _Item("M3.T1.S2", "Meningkatnya keterlibatan ormas dalam tata kelola dan kebangsaan"),
    _Item("M3.T1.S2.I1", "Ormas yang melaporkan kegiatan", "%"),
)


@dataclass(frozen=True)
class RpjmdSpec:
    kabkota: str
    title: str
    legal_basis: str
    visi: str
    note: str
    misi: tuple[_Item, ...]
    tree: tuple[_Item, ...]
    misi_illustrative: bool
    # Which sasaran a programme of each bidang links to (first one preferred).
    sasaran_by_bidang: dict[str, tuple[str, ...]]

    @property
    def sasaran(self) -> list[str]:
        return [item.code for item in self.tree if item.code.count(".") == 2]


RPJMD_SPECS = {
    KOTA_BLITAR: RpjmdSpec(
        KOTA_BLITAR,
        "RPJMD Kota Blitar " + DEMO_SUFFIX,
        "Peraturan Daerah Kota Blitar Nomor 5 Tahun 2025",
        KOTA_VISI,
        KOTA_NOTE,
        KOTA_MISI,
        KOTA_TREE,
        False,
        {
            "keagamaan": ("M1.T1.S1",),
            "kepercayaan": ("M1.T1.S1", "M1.T2.S1"),
            "sosial": ("M2.T2.S1",),
            "pendidikan": ("M4.T1.S1",),
            "kesehatan": ("M2.T1.S1", "M2.T1.S2"),
            "kepemudaan": ("M4.T1.S2", "M1.T2.S1"),
            "perempuan": ("M4.T2.S1", "M2.T1.S2"),
            "seni_budaya_adat": ("M5.T1.S2", "M1.T2.S1"),
            "lingkungan": ("M5.T2.S1", "M5.T2.S2"),
            "kebencanaan": ("M2.T2.S2",),
            "ekonomi_umkm": ("M5.T1.S1",),
            "profesi": ("M5.T1.S1", "M3.T1.S1"),
            "olahraga_hobi": ("M4.T1.S2",),
            "demokrasi_hukum_ham": ("M3.T1.S2", "M1.T2.S2"),
            "kebangsaan": ("M1.T2.S1", "M1.T2.S2"),
            "lainnya": ("M3.T1.S1",),
        },
    ),
    KAB_BLITAR: RpjmdSpec(
        KAB_BLITAR,
        "RPJMD Kabupaten Blitar " + DEMO_SUFFIX,
        "",
        KAB_VISI,
        KAB_NOTE,
        KAB_MISI,
        KAB_TREE,
        True,
        {
            "keagamaan": ("M1.T1.S1",),
            "kepercayaan": ("M1.T1.S1",),
            "sosial": ("M1.T1.S1",),
            "pendidikan": ("M1.T1.S2",),
            "kesehatan": ("M1.T1.S2",),
            "kepemudaan": ("M1.T1.S1", "M3.T1.S2"),
            "perempuan": ("M1.T1.S2", "M2.T1.S1"),
            "seni_budaya_adat": ("M1.T1.S1", "M2.T1.S2"),
            "lingkungan": ("M3.T1.S1",),
            "kebencanaan": ("M3.T1.S1",),
            "ekonomi_umkm": ("M2.T1.S1",),
            "profesi": ("M2.T1.S1",),
            "olahraga_hobi": ("M1.T1.S1",),
            "demokrasi_hukum_ham": ("M3.T1.S2",),
            "kebangsaan": ("M3.T1.S2",),
            "lainnya": ("M3.T1.S2",),
        },
    ),
}

# --- Programme templates ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Indicator:
    name: str
    unit: str
    polarity: str
    aggregation: str
    target: tuple[float, float]
    baseline: tuple[float, float] | None
    # How a report's realised value is drawn: people (= participants), count (1–3 per report),
    # amount (a share of the target), score/avg/avg_lower (near the target), share (a percentage
    # near the target; for "perempuan" the women's share of the participants), trend (from the
    # baseline towards the target, report after report).
    kind: str


_H, _L, _X = Polarity.HIGHER, Polarity.LOWER, Polarity.EXACT
_SUM, _LAST, _AVG = Aggregation.SUM, Aggregation.LAST, Aggregation.AVERAGE
INDICATORS: dict[str, _Indicator] = {
    "peserta": _Indicator("Jumlah peserta kegiatan", "orang", _H, _SUM, (80, 300), None, "people"),
    "kegiatan": _Indicator("Kegiatan terlaksana", "kali", _H, _SUM, (4, 12), None, "count"),
    "kepuasan": _Indicator(
        "Rata-rata kepuasan peserta", "skor 1–5", _H, _AVG, (4.0, 4.5), None, "score"
    ),
    "perempuan": _Indicator("Proporsi peserta perempuan", "%", _X, _AVG, (40, 50), None, "women"),
    "kader": _Indicator("Kader terlatih", "orang", _H, _SUM, (15, 40), None, "amount"),
    "stunting": _Indicator(
        "Balita berisiko stunting di wilayah binaan", "anak", _L, _LAST, (4, 9), (12, 25), "trend"
    ),
    "sampah": _Indicator("Sampah anorganik terpilah", "kg", _H, _SUM, (400, 2500), None, "amount"),
    "timbunan": _Indicator(
        "Titik timbunan sampah liar", "titik", _L, _LAST, (1, 3), (6, 12), "trend"
    ),
    "tanggap": _Indicator(
        "Rata-rata waktu tanggap relawan", "menit", _L, _AVG, (15, 30), None, "avg_lower"
    ),
    "pohon": _Indicator("Bibit pohon ditanam", "batang", _H, _SUM, (200, 1500), None, "amount"),
    "omzet": _Indicator("Rata-rata kenaikan omzet anggota", "%", _H, _AVG, (10, 25), None, "avg"),
    "produk": _Indicator(
        "Produk anggota di lokapasar daring", "produk", _H, _LAST, (20, 60), (0, 8), "trend"
    ),
    "pentas": _Indicator("Pergelaran/pentas", "kali", _H, _SUM, (2, 8), None, "count"),
    "penonton": _Indicator("Penonton pergelaran", "orang", _H, _SUM, (300, 2000), None, "amount"),
    "buku": _Indicator("Buku dipinjam warga", "eksemplar", _H, _SUM, (200, 900), None, "amount"),
    "didampingi": _Indicator("Warga yang didampingi", "orang", _H, _SUM, (20, 80), None, "amount"),
    "darah": _Indicator("Kantong darah terkumpul", "kantong", _H, _SUM, (60, 250), None, "amount"),
    "lansia": _Indicator(
        "Lansia yang diperiksa rutin", "orang", _H, _LAST, (40, 120), (10, 30), "trend"
    ),
    "aduan": _Indicator("Aduan warga yang ditangani", "aduan", _H, _SUM, (15, 60), None, "amount"),
    "gesekan": _Indicator(
        "Gesekan antarkelompok di wilayah binaan", "kejadian", _L, _LAST, (0, 0), (2, 5), "trend"
    ),
    "kehadiran": _Indicator(
        "Kehadiran anggota pada pertemuan rutin", "%", _H, _AVG, (75, 90), None, "avg"
    ),
    "serapan": _Indicator(
        "Serapan anggaran sesuai rencana", "%", _X, _LAST, (100, 100), None, "share"
    ),
    "rumah": _Indicator(
        "Rumah tidak layak huni yang diperbaiki", "unit", _H, _SUM, (2, 6), None, "count"
    ),
    "paket": _Indicator(
        "Paket makanan bergizi tersalurkan", "paket", _H, _SUM, (300, 1200), None, "amount"
    ),
    "sertifikat": _Indicator(
        "Anggota yang memperoleh sertifikat", "orang", _H, _SUM, (10, 40), None, "amount"
    ),
    "usaha": _Indicator("Usaha rintisan baru", "usaha", _H, _SUM, (5, 15), None, "count"),
    "nilai": _Indicator(
        "Rata-rata nilai latihan soal peserta", "nilai 0–100", _H, _AVG, (70, 80), None, "avg"
    ),
    "kecelakaan": _Indicator(
        "Kecelakaan lalu lintas yang melibatkan anggota",
        "kejadian",
        _L,
        _LAST,
        (0, 1),
        (3, 6),
        "trend",
    ),
    "tindak_lanjut": _Indicator(
        "Rata-rata waktu tindak lanjut aduan", "hari", _L, _AVG, (3, 5), None, "avg_lower"
    ),
    "nasabah": _Indicator(
        "Nasabah aktif bank sampah", "KK", _H, _LAST, (60, 150), (20, 50), "trend"
    ),
    "pertandingan": _Indicator(
        "Pertandingan terselenggara", "pertandingan", _H, _SUM, (10, 30), None, "count"
    ),
}


@dataclass(frozen=True)
class _Template:
    title: str
    objective: str
    who: str  # beneficiary description
    activities: tuple[str, str]
    indicators: tuple[str, ...]
    place: str
    budget: tuple[int, int]  # in thousands of rupiah


def _t(
    title: str,
    objective: str,
    who: str,
    activities: tuple[str, str],
    indicators: str,
    place: str,
    budget: tuple[int, int] = (2_500, 25_000),
) -> _Template:
    return _Template(title, objective, who, activities, tuple(indicators.split()), place, budget)


# Invented programme titles, a few per bidang. They describe ordinary neighbourhood work; none is
# the programme of a real organisation.
TEMPLATES: dict[str, tuple[_Template, ...]] = {
    "keagamaan": (
        _t(
            "Pengajian Akbar Lintas Kelurahan",
            "Mempererat silaturahmi warga dan menumbuhkan pemahaman keagamaan yang moderat.",
            "jamaah dan warga sekitar",
            ("Pengajian akbar bulanan", "Kajian tematik remaja masjid"),
            "peserta kegiatan",
            "Masjid lingkungan",
        ),
        _t(
            "Santunan Yatim dan Dhuafa",
            "Meringankan beban anak yatim dan keluarga prasejahtera di lingkungan sekitar.",
            "anak yatim dan keluarga prasejahtera",
            ("Penyaluran santunan tahap I", "Penyaluran paket sembako"),
            "paket serapan",
            "Sekretariat",
            (5_000, 40_000),
        ),
        _t(
            "Dialog Kerukunan Antarumat Beragama",
            "Membangun saling pengertian antarumat beragama sejak tingkat RW.",
            "tokoh agama, pemuda dan warga",
            ("Dialog kerukunan tingkat kecamatan", "Kunjungan bersama ke rumah ibadah"),
            "peserta perempuan gesekan",
            "Pendapa kecamatan",
        ),
    ),
    "kepercayaan": (
        _t(
            "Sarasehan Budaya Penghayat Kepercayaan",
            "Memperkenalkan ajaran luhur dan tradisi penghayat kepada generasi muda.",
            "warga penghayat dan pemuda",
            ("Sarasehan budaya", "Diskusi nilai luhur bersama pelajar"),
            "peserta kegiatan",
            "Sanggar paguyuban",
        ),
        _t(
            "Pendampingan Layanan Adminduk Penghayat",
            "Membantu warga penghayat mengurus KTP dan KK sesuai kepercayaannya.",
            "warga penghayat kepercayaan",
            ("Pendampingan berkas kependudukan", "Jemput bola layanan adminduk"),
            "didampingi tindak_lanjut",
            "Sekretariat",
        ),
    ),
    "sosial": (
        _t(
            "Bedah Rumah Warga Tidak Mampu",
            "Memperbaiki rumah tidak layak huni secara gotong royong.",
            "keluarga prasejahtera",
            ("Kerja bakti bedah rumah", "Serah terima rumah hasil perbaikan"),
            "rumah serapan",
            "Rumah warga penerima",
            (15_000, 75_000),
        ),
        _t(
            "Dapur Umum Peduli Lansia",
            "Menyediakan makanan bergizi bagi lansia yang hidup sendiri.",
            "lansia yang hidup sendiri",
            ("Dapur umum pekanan", "Antar makanan ke rumah lansia"),
            "paket kegiatan",
            "Balai RW",
        ),
        _t(
            "Pendampingan Penyandang Disabilitas Mandiri",
            "Mendampingi penyandang disabilitas agar mandiri dan mendapat layanan sosial.",
            "penyandang disabilitas dan keluarganya",
            ("Pendampingan rumah ke rumah", "Pelatihan keterampilan mandiri"),
            "didampingi kepuasan",
            "Sekretariat",
        ),
    ),
    "pendidikan": (
        _t(
            "Gerakan Literasi Kampung Baca",
            "Menumbuhkan minat baca anak dan warga melalui pojok baca kampung.",
            "anak-anak dan warga",
            ("Lapak baca akhir pekan", "Lomba bercerita anak"),
            "buku peserta",
            "Pojok baca RW",
        ),
        _t(
            "Bimbingan Belajar Gratis Anak Prasejahtera",
            "Membantu anak dari keluarga prasejahtera menghadapi ujian sekolah.",
            "pelajar SD dan SMP",
            ("Bimbingan belajar pekanan", "Try out bersama"),
            "peserta nilai",
            "Aula sekolah setempat",
        ),
        _t(
            "Kursus Komputer Dasar Warga",
            "Membekali warga dengan keterampilan komputer untuk bekerja dan berusaha.",
            "pemuda dan ibu rumah tangga",
            ("Kursus komputer angkatan I", "Kursus komputer angkatan II"),
            "peserta kepuasan sertifikat",
            "Laboratorium komputer",
        ),
    ),
    "kesehatan": (
        _t(
            "Pelatihan Kader Posyandu Remaja",
            "Menyiapkan kader remaja yang menggerakkan posyandu remaja di tiap RW.",
            "remaja dan kader posyandu",
            ("Pelatihan kader angkatan I", "Pendampingan posyandu remaja"),
            "kader kegiatan",
            "Balai kelurahan",
        ),
        _t(
            "Gerakan Cegah Stunting Berbasis RW",
            "Menurunkan risiko stunting lewat edukasi gizi dan pemantauan balita.",
            "ibu hamil, ibu balita dan balita",
            ("Kelas gizi ibu balita", "Pemantauan tumbuh kembang balita"),
            "stunting kegiatan",
            "Posyandu",
        ),
        _t(
            "Donor Darah Rutin Triwulan",
            "Menjaga ketersediaan darah dengan donor rutin warga.",
            "warga pendonor",
            ("Donor darah triwulan I", "Donor darah triwulan II"),
            "darah peserta",
            "Aula kelurahan",
        ),
        _t(
            "Senam dan Cek Kesehatan Lansia",
            "Menjaga kebugaran lansia dan memantau tekanan darah serta gula darah.",
            "lansia",
            ("Senam lansia dan cek kesehatan", "Penyuluhan penyakit tidak menular"),
            "lansia kepuasan",
            "Halaman balai RW",
        ),
    ),
    "kepemudaan": (
        _t(
            "Sekolah Kepemimpinan Pemuda",
            "Melatih pemuda memimpin organisasi dan kegiatan warga.",
            "pemuda 16–30 tahun",
            ("Kelas kepemimpinan", "Praktik kerja sosial pemuda"),
            "peserta kepuasan perempuan",
            "Aula kelurahan",
        ),
        _t(
            "Inkubasi Wirausaha Muda Kreatif",
            "Mendampingi pemuda merintis usaha kreatif.",
            "pemuda calon wirausaha",
            ("Kelas ide usaha", "Pameran produk wirausaha muda"),
            "usaha peserta",
            "Ruang kreatif pemuda",
            (5_000, 35_000),
        ),
        _t(
            "Gerakan Pemuda Anti Narkoba",
            "Mencegah penyalahgunaan narkoba di kalangan pelajar dan pemuda.",
            "pelajar dan pemuda",
            ("Penyuluhan di sekolah", "Jalan sehat anti narkoba"),
            "peserta kegiatan",
            "Sekolah mitra",
        ),
    ),
    "perempuan": (
        _t(
            "Sekolah Perempuan Berdaya",
            "Meningkatkan pengetahuan dan kepercayaan diri perempuan dalam kegiatan warga.",
            "perempuan dan ibu rumah tangga",
            ("Kelas sekolah perempuan", "Diskusi kesehatan reproduksi"),
            "peserta kepuasan",
            "Balai RW",
        ),
        _t(
            "Pelatihan Olahan Pangan Lokal",
            "Mengolah hasil kebun menjadi produk bernilai jual.",
            "ibu rumah tangga",
            ("Pelatihan olahan pangan", "Pemasaran produk olahan"),
            "peserta produk",
            "Dapur sekretariat",
        ),
        _t(
            "Pendampingan Korban Kekerasan dalam Rumah Tangga",
            "Mendampingi perempuan dan anak korban kekerasan mendapatkan layanan.",
            "perempuan dan anak korban kekerasan",
            ("Pendampingan kasus", "Sosialisasi layanan pengaduan"),
            "didampingi tindak_lanjut",
            "Sekretariat",
        ),
    ),
    "seni_budaya_adat": (
        _t(
            "Festival Seni Kendang Anak",
            "Mengenalkan seni kendang kepada anak-anak dan melahirkan penabuh muda.",
            "anak-anak dan pelajar",
            ("Latihan kendang anak", "Festival kendang anak"),
            "peserta penonton",
            "Halaman sanggar",
        ),
        _t(
            "Pelatihan Karawitan Remaja",
            "Melestarikan karawitan lewat latihan rutin bagi remaja.",
            "remaja",
            ("Latihan karawitan rutin", "Pentas karawitan remaja"),
            "peserta pentas",
            "Pendapa sanggar",
        ),
        _t(
            "Gelar Budaya Jaranan Kampung",
            "Menghidupkan kesenian jaranan sebagai hiburan dan daya tarik wisata kampung.",
            "seniman dan warga",
            ("Gelar jaranan", "Pentas jaranan di acara bersih desa"),
            "pentas penonton",
            "Lapangan kampung",
        ),
        _t(
            "Pelestarian Tari Tradisional di Sekolah",
            "Mengajarkan tari tradisional di sekolah dasar sekitar.",
            "pelajar SD",
            ("Kelas tari di sekolah", "Pentas tari akhir semester"),
            "peserta pentas",
            "Sekolah mitra",
        ),
    ),
    "lingkungan": (
        _t(
            "Bersih Sungai Lahar",
            "Membersihkan aliran sungai dari sampah dan mencegah banjir.",
            "warga bantaran sungai",
            ("Kerja bakti bersih sungai", "Pemasangan jaring sampah"),
            "sampah timbunan",
            "Bantaran sungai",
        ),
        _t(
            "Bank Sampah Keliling RW",
            "Mengajak rumah tangga memilah dan menabung sampah.",
            "rumah tangga",
            ("Penimbangan bank sampah", "Sosialisasi pilah sampah"),
            "sampah nasabah",
            "Balai RW",
        ),
        _t(
            "Penanaman Pohon Lereng Kelud",
            "Menghijaukan lahan kritis dan menjaga sumber air.",
            "warga dan relawan",
            ("Penanaman bibit", "Perawatan bibit"),
            "pohon peserta",
            "Lahan kritis desa",
        ),
    ),
    "kebencanaan": (
        _t(
            "Pelatihan Siaga Bencana Erupsi Kelud",
            "Menyiapkan warga dan relawan menghadapi erupsi dan lahar dingin.",
            "relawan dan warga kawasan rawan",
            ("Pelatihan siaga bencana", "Gladi lapang evakuasi"),
            "peserta tanggap",
            "Posko relawan",
        ),
        _t(
            "Simulasi Evakuasi Sekolah Aman Bencana",
            "Melatih pelajar dan guru menyelamatkan diri saat bencana.",
            "pelajar dan guru",
            ("Simulasi evakuasi sekolah", "Pemasangan rambu jalur evakuasi"),
            "kegiatan peserta",
            "Sekolah mitra",
        ),
        _t(
            "Posko Relawan Tanggap Banjir",
            "Menyiagakan relawan dan peralatan pada musim hujan.",
            "warga kawasan rawan banjir",
            ("Piket posko musim hujan", "Pemeriksaan peralatan evakuasi"),
            "tanggap kegiatan",
            "Posko relawan",
        ),
    ),
    "ekonomi_umkm": (
        _t(
            "Pelatihan Pemasaran Digital UMKM",
            "Membantu pelaku UMKM memasarkan produk secara daring.",
            "pelaku UMKM",
            ("Kelas foto produk", "Pendampingan toko daring"),
            "peserta produk",
            "Ruang pertemuan",
        ),
        _t(
            "Bazar Produk Lokal Akhir Pekan",
            "Membuka pasar bagi produk anggota dan menaikkan omzet.",
            "pelaku UMKM anggota",
            ("Bazar akhir pekan", "Bazar hari besar"),
            "kegiatan omzet",
            "Alun-alun",
        ),
        _t(
            "Pendampingan Sertifikasi Halal dan PIRT",
            "Membantu anggota memperoleh izin dan sertifikat produk pangan.",
            "pelaku usaha pangan",
            ("Sosialisasi sertifikasi", "Pendampingan berkas sertifikasi"),
            "sertifikat kepuasan",
            "Sekretariat",
        ),
    ),
    "profesi": (
        _t(
            "Pelatihan Keselamatan Berkendara Anggota",
            "Menurunkan kecelakaan di jalan dengan pelatihan keselamatan berkendara.",
            "anggota pengemudi",
            ("Pelatihan keselamatan berkendara", "Pemeriksaan kendaraan bersama"),
            "peserta kecelakaan",
            "Halaman sekretariat",
        ),
        _t(
            "Uji Kompetensi Anggota",
            "Menyiapkan anggota mengikuti uji kompetensi keahlian.",
            "anggota",
            ("Pelatihan persiapan uji", "Uji kompetensi"),
            "sertifikat peserta",
            "Balai latihan kerja",
        ),
        _t(
            "Arisan Tabungan dan Pertemuan Rutin Anggota",
            "Menjaga kekompakan anggota dan membiasakan menabung.",
            "anggota",
            ("Pertemuan rutin bulanan", "Rapat anggota tahunan"),
            "kehadiran kegiatan",
            "Sekretariat",
        ),
    ),
    "olahraga_hobi": (
        _t(
            "Turnamen Voli Antar-RW",
            "Mempererat persaudaraan warga lewat olahraga.",
            "pemuda dan warga",
            ("Babak penyisihan", "Babak final"),
            "peserta pertandingan",
            "Lapangan voli",
        ),
        _t(
            "Gowes Sehat Keliling Kota",
            "Membiasakan olahraga bersepeda dan mengenalkan tempat bersejarah.",
            "warga umum",
            ("Gowes sehat", "Gowes wisata sejarah"),
            "peserta kegiatan",
            "Titik kumpul alun-alun",
        ),
        _t(
            "Latihan Pencak Silat Remaja",
            "Membina remaja lewat latihan bela diri dan disiplin.",
            "remaja",
            ("Latihan rutin", "Uji kenaikan tingkat"),
            "peserta kehadiran",
            "Padepokan",
        ),
    ),
    "demokrasi_hukum_ham": (
        _t(
            "Klinik Konsultasi Hukum Gratis",
            "Memberi warga tempat bertanya soal hukum sehari-hari.",
            "warga yang membutuhkan bantuan hukum",
            ("Klinik hukum keliling", "Penyuluhan hukum keluarga"),
            "aduan kepuasan",
            "Balai kelurahan",
        ),
        _t(
            "Pendidikan Pemilih Pemula",
            "Menyiapkan pemilih pemula yang cerdas dan menolak politik uang.",
            "pelajar dan pemilih pemula",
            ("Kelas pemilih pemula", "Simulasi pemungutan suara"),
            "peserta perempuan",
            "Sekolah mitra",
        ),
    ),
    "kebangsaan": (
        _t(
            "Kemah Kebangsaan Pelajar",
            "Menanamkan cinta tanah air dan semangat kebersamaan pada pelajar.",
            "pelajar SMP dan SMA",
            ("Kemah kebangsaan", "Napak tilas sejarah kota"),
            "peserta kepuasan",
            "Bumi perkemahan",
        ),
        _t(
            "Sarasehan Wawasan Kebangsaan Lintas Etnis",
            "Merawat persatuan warga dari berbagai suku dan latar belakang.",
            "tokoh masyarakat dan pemuda",
            ("Sarasehan kebangsaan", "Pentas budaya nusantara"),
            "peserta gesekan",
            "Gedung pertemuan",
        ),
    ),
    "lainnya": (
        _t(
            "Temu Warga dan Bakti Sosial",
            "Menjalin silaturahmi anggota dan berbagi dengan warga sekitar.",
            "anggota dan warga sekitar",
            ("Temu warga", "Bakti sosial"),
            "peserta kegiatan",
            "Balai RW",
        ),
        _t(
            "Kerja Bakti Lingkungan Bulanan",
            "Menjaga kebersihan lingkungan bersama warga.",
            "warga",
            ("Kerja bakti bulanan", "Lomba kebersihan RT"),
            "kegiatan peserta",
            "Lingkungan RW",
        ),
    ),
}

# How strongly each bidang draws young people, women and children into its activities.
_YOUTH_SHARE = {
    "kepemudaan": (0.6, 0.85),
    "olahraga_hobi": (0.5, 0.8),
    "kebangsaan": (0.5, 0.8),
    "seni_budaya_adat": (0.35, 0.6),
    "kebencanaan": (0.35, 0.6),
    "pendidikan": (0.3, 0.5),
    "demokrasi_hukum_ham": (0.35, 0.6),
}
_WOMEN_SHARE = {
    "perempuan": (0.85, 1.0),
    "kesehatan": (0.6, 0.8),
    "keagamaan": (0.4, 0.6),
    "sosial": (0.45, 0.65),
    "profesi": (0.05, 0.25),
    "olahraga_hobi": (0.2, 0.4),
}
_CHILD_SHARE = {"pendidikan": (0.3, 0.6), "seni_budaya_adat": (0.15, 0.4), "kesehatan": (0, 0.2)}

PROGRAMME_RETURN_NOTES = (
    "Indikator belum terukur: tuliskan target dan satuannya (misalnya jumlah peserta).",
    "Anggaran belum dirinci per sumber dana; lengkapi rencana anggaran.",
    "Program belum dikaitkan dengan sasaran RPJMD; pilih sasaran yang sesuai.",
    "Jadwal belum jelas; cantumkan bulan pelaksanaan tiap tahap kegiatan.",
    "Lokasi kegiatan belum dicantumkan sampai tingkat kelurahan/desa.",
)
REPORT_RETURN_REASONS = (
    "Foto kegiatan belum dilampirkan; unggah minimal satu foto yang memperlihatkan peserta.",
    "Jumlah peserta pada uraian berbeda dengan rincian menurut jenis kelamin dan umur.",
    "Biaya kegiatan melebihi sisa anggaran program; periksa kembali angkanya.",
    "Tanggal kegiatan pada daftar hadir berbeda dengan tanggal yang diisi.",
    "Realisasi indikator belum diisi lengkap.",
)
_NARRATIVE_CLOSINGS = (
    "Kegiatan berjalan lancar dan tertib.",
    "Peserta antusias dan meminta kegiatan serupa diadakan lagi.",
    "Kegiatan didukung pengurus RT/RW dan tokoh masyarakat setempat.",
    "Hujan sempat turun sehingga acara mundur satu jam, tetapi seluruh rangkaian terlaksana.",
    "Hasil evaluasi dicatat pengurus untuk perbaikan kegiatan berikutnya.",
)
_PEOPLE_FIELDS = (
    "male_under16",
    "male_youth",
    "male_over30",
    "female_under16",
    "female_youth",
    "female_over30",
)

# --- The plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrmasRef:
    """What the planner needs to know of a demo ormas."""

    id: int
    name: str
    kabkota: str
    region_id: str
    bidang: tuple[str, ...]
    activity_status: str
    operator: str = ""  # username of its demo operator account, if any


@dataclass
class Step:
    """One workflow move (or a fix of a returned object) at a planned moment."""

    action: str  # submit | accept | return | verify | fix
    at: dt.datetime
    note: str = ""


@dataclass
class IndicatorPlan:
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal
    polarity: str
    aggregation: str


@dataclass
class ReportPlan:
    title: str
    window: str  # "S1" or "S2"
    start: dt.date
    end: dt.date
    location_id: str
    location_detail: str
    narrative: str
    people: dict[str, int]
    cost: int
    values: list[Decimal | None]
    created: dt.datetime
    steps: list[Step] = field(default_factory=list)
    evidence: int = 0
    fix_people: dict[str, int] = field(default_factory=dict)

    @property
    def state(self) -> str:
        return _final_state(self.steps, "draft", {"verify": "verified"})


@dataclass
class ProgrammePlan:
    ormas_id: int
    kabkota: str
    period: str  # CURRENT, PREVIOUS or NEXT
    title: str
    objective: str
    bidang: list[str]
    sasaran: list[str]
    locations: list[str]
    start: dt.date
    end: dt.date
    budget: int
    funding: list[str]
    beneficiaries: int
    who: str
    indicators: list[IndicatorPlan]
    created: dt.datetime
    steps: list[Step] = field(default_factory=list)
    reports: list[ReportPlan] = field(default_factory=list)
    operator: str = ""

    @property
    def state(self) -> str:
        return _final_state(self.steps, "draft", {"accept": "accepted"})


@dataclass
class FinancePlan:
    ormas_id: int
    kabkota: str
    period: str
    values: dict[str, Any]
    at: dt.datetime
    operator: str = ""


@dataclass(frozen=True)
class PeriodPlan:
    key: str
    year: int
    start: dt.date
    end: dt.date
    programme_due: dt.date
    self_assessment_due: dt.date
    verification_due: dt.date
    appeal_due: dt.date
    created: dt.datetime
    opened: dt.datetime
    # (action, when) after the data are in: a past period is assessed, published and closed.
    moves: tuple[tuple[str, dt.datetime], ...]
    regions: tuple[str, ...] = REGIONS

    @property
    def name(self) -> str:
        return f"Periode Penilaian {self.year} {DEMO_SUFFIX}"

    @property
    def s1_due(self) -> dt.date:
        return dt.date(self.year, 6, 30) + dt.timedelta(days=REPORT_DUE_DAYS)


@dataclass
class PlanningPlan:
    periods: dict[str, PeriodPlan]
    rpjmd_at: dt.datetime
    programmes: list[ProgrammePlan]
    finances: list[FinancePlan]

    @property
    def reports(self) -> list[ReportPlan]:
        return [report for programme in self.programmes for report in programme.reports]


def _final_state(steps: Iterable[Step], state: str, done: dict[str, str]) -> str:
    for step in steps:
        if step.action == "submit":
            state = "submitted"
        elif step.action == "return":
            state = "returned"
        elif step.action in done:
            state = done[step.action]
    return state


def open_year(today: dt.date) -> int:
    """The year of the open demo period: this year once semester 1 is well overdue."""
    return today.year if (today.month, today.day) >= OPEN_YEAR_FROM else today.year - 1


def plan_demo(*, seed: int, today: dt.date, ormas: Sequence[OrmasRef]) -> PlanningPlan:
    """Draw programmes, reports and financial summaries for the demo ormas.

    Deterministic: the same seed, day and ormas give the same plan; the programme titles (and
    which ormas plan what) do not depend on the day.
    """
    return _Planner(seed=seed, today=today, ormas=ormas).plan()


class _Planner:
    def __init__(self, *, seed: int, today: dt.date, ormas: Sequence[OrmasRef]) -> None:
        # Two streams: what is planned (titles) never depends on the day; the rest does.
        self.names = random.Random(f"sipko-demo-programmes-{seed}")
        self.rng = random.Random(f"sipko-demo-planning-{seed}")
        self.today = today
        self.ormas = sorted(ormas, key=lambda o: (o.kabkota, o.name, o.region_id, o.id))
        year = open_year(today)
        tz = timezone.get_current_timezone()
        # Everything planned happened before today (reports refuse activities in the future).
        self.latest = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(17), tzinfo=tz)
        self.periods = {
            CURRENT: self._period(CURRENT, year),
            PREVIOUS: self._period(PREVIOUS, year - 1),
            NEXT: self._period(NEXT, year + 1),
        }

    # -- periods

    def _period(self, key: str, year: int) -> PeriodPlan:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        next_year = year + 1
        moves: tuple[tuple[str, dt.datetime], ...] = ()
        created = self._moment(dt.date(year - 1, 12, 15), 10)
        if key == NEXT:  # opened weeks ago at the latest, so next year's programmes come in
            latest = self.today - dt.timedelta(days=NEXT_OPENED_DAYS_BEFORE + 17)
            created = min(created, self._moment(latest, 10))
        if key == PREVIOUS:
            moves = (
                ("start_assessment", self._moment(dt.date(next_year, 2, 3), 9)),
                ("publish", self._moment(dt.date(next_year, 4, 14), 10)),
                ("close", self._moment(dt.date(next_year, 5, 5), 9)),
            )
        return PeriodPlan(
            key=key,
            year=year,
            start=start,
            end=end,
            programme_due=dt.date(year, 3, 31),
            self_assessment_due=dt.date(next_year, 1, 31),
            verification_due=dt.date(next_year, 2, 28),
            appeal_due=dt.date(next_year, 3, 31),
            created=created,
            opened=created + dt.timedelta(days=17),
            moves=moves,
            regions=NEXT_REGIONS if key == NEXT else REGIONS,
        )

    @staticmethod
    def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(
            day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone()
        )

    def _at(self, day: dt.date) -> dt.datetime:
        """A moment during office hours of `day`."""
        return self._moment(day, self.rng.randint(8, 16), self.rng.randint(0, 59))

    def _day(self, low: dt.date, high: dt.date) -> dt.date:
        if high <= low:
            return low
        return low + dt.timedelta(days=self.rng.randint(0, (high - low).days))

    def _after(self, moment: dt.datetime, low: int, high: int) -> dt.datetime:
        return self._at(moment.date() + dt.timedelta(days=self.rng.randint(low, high)))

    def _past(self, moment: dt.datetime) -> bool:
        return moment <= self.latest

    # -- the whole plan

    def plan(self) -> PlanningPlan:
        drafts = self._choose_programmes()  # from `self.names` only: titles never follow the day
        programmes: list[ProgrammePlan] = []
        habits = {
            CURRENT: self._habits((40, 30, 30)),
            PREVIOUS: self._habits((60, 25, 15)),
        }
        for ref, period, template, design in drafts:
            programme = self._programme(ref, period, template, design)
            if period == NEXT:
                self._next_steps(programme, design)
            else:
                self._programme_steps(programme, design)
                self._reports(programme, ref, template, habits[period][ref.id], design)
            programmes.append(programme)
        self._choose_evidence(programmes)
        finances = self._finances(programmes)
        return PlanningPlan(
            periods=self.periods,
            rpjmd_at=self.periods[PREVIOUS].created - dt.timedelta(days=20),
            programmes=programmes,
            finances=finances,
        )

    def _choose_evidence(self, programmes: list[ProgrammePlan]) -> None:
        """Photos on about EVIDENCE_REPORTS sent reports (files cost time; a few are enough)."""
        with_photos = [r for p in programmes for r in p.reports if r.evidence]
        candidates = [
            report
            for programme in programmes
            if not programme.operator
            for report in programme.reports
            if report.steps
        ]
        wanted = max(0, EVIDENCE_REPORTS - len(with_photos))
        for report in self.rng.sample(candidates, min(wanted, len(candidates))):
            report.evidence = self.rng.choice((1, 1, 2))

    def _habits(self, weights: tuple[int, int, int]) -> dict[int, str]:
        """How each ormas reports: on time, late, or not at all (overdue)."""
        return {
            ref.id: self.rng.choices(("on_time", "late", "absent"), weights=weights)[0]
            for ref in self.ormas
        }

    # -- which ormas plan what (titles)

    def _choose_programmes(self) -> list[tuple[OrmasRef, str, _Template, str]]:
        chosen: list[tuple[OrmasRef, str, _Template, str]] = []
        for ref in self.ormas:
            active = ref.activity_status == ActivityStatus.AKTIF
            if ref.operator:
                designs = _OPERATOR_DESIGNS[ref.operator]
                current = [design for _key, design in designs]
                keys = [key for key, _design in designs]
            elif active and self.names.random() < 0.82:
                count = self.names.choices((1, 2, 3), weights=(72, 22, 6))[0]
                current = [""] * count
                keys = [CURRENT] * count
            else:
                current, keys = [], []
            templates = self._templates(ref, len(current))
            for key, design, template in zip(keys, current, templates, strict=True):
                chosen.append((ref, key, template, design))
            share = 0.15 if active else 0.2 if ref.activity_status == "tidak_aktif" else 0.0
            if ref.operator or self.names.random() < share:
                count = 1 if ref.operator else self.names.choices((1, 2), weights=(85, 15))[0]
                designs_prev = ["operator-previous"] if ref.operator else [""] * count
                for design, template in zip(designs_prev, self._templates(ref, count), strict=True):
                    chosen.append((ref, PREVIOUS, template, design))
        # A few other ormas of the regions with next year's period have sent their programme.
        candidates = [
            ref
            for ref in self.ormas
            if ref.kabkota in self.periods[NEXT].regions
            and not ref.operator
            and ref.activity_status == ActivityStatus.AKTIF
        ]
        picked = self.names.sample(candidates, min(len(candidates), len(NEXT_PROGRAMME_STATES)))
        for ref, state in zip(picked, NEXT_PROGRAMME_STATES, strict=False):
            chosen.append((ref, NEXT, self._templates(ref, 1)[0], f"next-{state}"))
        return chosen

    def _templates(self, ref: OrmasRef, count: int) -> list[_Template]:
        pool = [t for code in ref.bidang for t in TEMPLATES.get(code, ())]
        pool = list(dict.fromkeys(pool))  # unique, in bidang order
        for fallback in ("lainnya", "sosial", "kebangsaan"):
            if len(pool) < count:
                pool += [t for t in TEMPLATES[fallback] if t not in pool]
        # The main bidang first, the others after: the first programme fits the ormas best.
        main = [t for t in TEMPLATES.get(ref.bidang[0], ()) if t in pool]
        picked: list[_Template] = []
        if main and count:
            picked.append(self.names.choice(main))
        rest = [t for t in pool if t not in picked]
        picked += self.names.sample(rest, count - len(picked))
        return picked[:count]

    # -- programmes

    def _programme(
        self, ref: OrmasRef, period_key: str, template: _Template, design: str
    ) -> ProgrammePlan:
        rng, period = self.rng, self.periods[period_key]
        bidang = next(
            (code for code in ref.bidang if template in TEMPLATES.get(code, ())), ref.bidang[0]
        )
        others = [c for c in ref.bidang if c != bidang]
        bidang_list = [bidang, *others[: rng.randint(0, 1)]]
        spec = RPJMD_SPECS[ref.kabkota]
        sasaran: list[str] = []
        if design or rng.random() < 0.85:  # some ormas leave the RPJMD link empty
            preferred = list(spec.sasaran_by_bidang.get(bidang, ()))
            sasaran = [preferred[0] if preferred else rng.choice(spec.sasaran)]
            if rng.random() < 0.35:
                other = [code for code in preferred + spec.sasaran if code not in sasaran]
                sasaran.append(other[0] if other and rng.random() < 0.6 else rng.choice(other))
        kecamatan = ref.region_id.rsplit(".", 1)[0]
        locations = rng.choice(([ref.region_id], [kecamatan], [ref.region_id, kecamatan]))
        indicators = [self._indicator(INDICATORS[key]) for key in template.indicators]
        if rng.random() < 0.3 and len(indicators) > 1:
            indicators = indicators[:-1]  # a smaller ormas keeps fewer indicators
        people_target = next((i.target for i in indicators if i.unit == "orang"), None)
        beneficiaries = int(people_target * Decimal(rng.uniform(1.0, 1.6))) if people_target else 0
        beneficiaries = beneficiaries or rng.randint(30, 250)
        low, high = template.budget
        budget = round(rng.uniform(low, high)) * 1000
        budget = budget // 50_000 * 50_000 or 500_000
        funding = self._funding()
        created = self._at(
            self._day(period.start + dt.timedelta(days=5), dt.date(period.year, 3, 10))
        )
        start = self._day(created.date() + dt.timedelta(days=25), dt.date(period.year, 5, 20))
        end = min(
            start + dt.timedelta(days=rng.randint(120, 230)), period.end - dt.timedelta(days=5)
        )
        if design:  # the operators' programmes run all year, so both semesters have activities
            end = period.end - dt.timedelta(days=5)
        return ProgrammePlan(
            ormas_id=ref.id,
            kabkota=ref.kabkota,
            period=period_key,
            title=template.title,
            objective=template.objective,
            bidang=bidang_list,
            sasaran=sasaran,
            locations=locations,
            start=start,
            end=end,
            budget=budget,
            funding=funding,
            beneficiaries=beneficiaries,
            who=template.who,
            indicators=indicators,
            created=created,
            operator=ref.operator,
        )

    def _indicator(self, spec: _Indicator) -> IndicatorPlan:
        low, high = spec.target
        decimals = 1 if spec.kind in ("score",) else 0
        target = Decimal(str(round(self.rng.uniform(low, high), decimals)))
        baseline = None
        if spec.baseline is not None:
            b_low, b_high = spec.baseline
            baseline = Decimal(round(self.rng.uniform(b_low, b_high)))
        return IndicatorPlan(
            spec.name, spec.unit, baseline, target, spec.polarity, spec.aggregation
        )

    def _funding(self) -> list[str]:
        sources = (
            (FundingSource.IURAN, 0.7),
            (FundingSource.DONASI, 0.45),
            (FundingSource.USAHA, 0.2),
            (FundingSource.HIBAH, 0.25),
            (FundingSource.CSR, 0.12),
        )
        chosen = [str(code) for code, share in sources if self.rng.random() < share]
        return chosen or [str(FundingSource.IURAN)]

    def _programme_steps(self, programme: ProgrammePlan, design: str) -> None:
        """Submission and review of a programme; `design` fixes the path of designed ones."""
        rng = self.rng
        if programme.period == PREVIOUS:
            state = (
                "accepted"
                if design
                else rng.choices(("accepted", "returned", "draft"), weights=(90, 5, 5))[0]
            )
        elif design:
            state = _OPERATOR_PROGRAMME_STATES[design]
        else:
            state = rng.choices(
                ("accepted", "submitted", "returned", "draft"), weights=(70, 12, 8, 10)
            )[0]
        if state == "draft":
            if programme.period == CURRENT:  # drafted lately, not sent yet
                programme.created = self._at(self.today - dt.timedelta(days=rng.randint(3, 40)))
                self._reschedule_late(programme)
            return
        if state in ("submitted", "returned") and programme.period == CURRENT:
            # Programmes still under review were sent after the deadline, in the last weeks.
            programme.created = self._at(self.today - dt.timedelta(days=rng.randint(25, 60)))
            self._reschedule_late(programme)
        submitted = self._after(programme.created, 0, 10)
        programme.steps.append(Step("submit", submitted))
        if state == "submitted":
            return
        note = rng.choice(PROGRAMME_RETURN_NOTES)
        if state == "returned":
            programme.steps.append(Step("return", self._after(submitted, 2, 12), note))
            return
        reviewed = self._after(submitted, 4, 20)
        if rng.random() < 0.15 and not design:  # returned once, fixed and accepted
            programme.steps.append(Step("return", reviewed, note))
            fixed = self._after(reviewed, 2, 8)
            programme.steps.append(Step("fix", fixed, note))
            programme.steps.append(Step("submit", fixed + dt.timedelta(minutes=20)))
            reviewed = self._after(fixed, 3, 12)
        programme.steps.append(Step("accept", reviewed))
        # Activities start once the programme is accepted.
        period = self.periods[programme.period]
        if programme.start <= reviewed.date():
            programme.start = min(
                reviewed.date() + dt.timedelta(days=rng.randint(3, 20)), dt.date(period.year, 6, 1)
            )
            programme.end = max(programme.end, programme.start + dt.timedelta(days=60))

    def _next_steps(self, programme: ProgrammePlan, design: str) -> None:
        """A programme for next year, sent since its period opened (weeks ago, its deadline
        still ahead or just past): a draft, submitted, returned with a note or accepted; every
        step before today, activities from next year on."""
        rng, period = self.rng, self.periods[NEXT]
        state = _OPERATOR_PROGRAMME_STATES.get(design) or design.removeprefix("next-")
        first = period.opened.date() + dt.timedelta(days=1)
        if state == "draft":  # started lately, not sent yet
            recent = max(first, self.today - dt.timedelta(days=20))
            programme.created = self._at(self._day(recent, self.today - dt.timedelta(days=2)))
        else:
            programme.created = self._at(self._day(first, first + dt.timedelta(days=12)))
        start = max(period.start, programme.created.date() + dt.timedelta(days=25))
        programme.start = self._day(start, dt.date(period.year, 5, 20))
        programme.end = max(programme.end, programme.start + dt.timedelta(days=60))
        if state == "draft":
            return
        submitted = max(
            self._after(programme.created, 0, 6), programme.created + dt.timedelta(minutes=40)
        )
        programme.steps.append(Step("submit", submitted))
        if state == "returned":
            note = rng.choice(PROGRAMME_RETURN_NOTES)
            programme.steps.append(Step("return", self._after(submitted, 2, 8), note))
        elif state == "accepted":
            programme.steps.append(Step("accept", self._after(submitted, 3, 10)))

    def _reschedule_late(self, programme: ProgrammePlan) -> None:
        period = self.periods[programme.period]
        start = programme.created.date() + dt.timedelta(days=self.rng.randint(14, 30))
        programme.start = min(start, period.end - dt.timedelta(days=10))
        programme.end = max(programme.start, period.end - dt.timedelta(days=3))

    # -- reports

    def _reports(
        self,
        programme: ProgrammePlan,
        ref: OrmasRef,
        template: _Template,
        habit: str,
        design: str,
    ) -> None:
        if programme.state != ProgrammeState.ACCEPTED:
            return
        if design:
            self._designed_reports(programme, ref, template, design)
            return
        rng, period = self.rng, self.periods[programme.period]
        s1_end = dt.date(period.year, 6, 30)
        if programme.start <= s1_end and habit != "absent":
            count = rng.choice((1, 1, 2)) if habit == "on_time" else 1
            for number in range(count):
                report = self._report(programme, ref, template, "S1", number)
                if report is None:
                    continue
                self._submit(report, period, late=habit == "late")
                programme.reports.append(report)
        elif programme.start <= s1_end and rng.random() < 0.3:
            # Started a report and never sent it: still overdue.
            report = self._report(programme, ref, template, "S1", 0)
            if report is not None:
                programme.reports.append(report)
        s2_due = dt.date(period.year, 12, 31) + dt.timedelta(days=REPORT_DUE_DAYS)
        s2_share = {"on_time": 0.6, "late": 0.35, "absent": 0.1}[habit]
        if programme.period == PREVIOUS:
            s2_share = {"on_time": 0.95, "late": 0.8, "absent": 0.0}[habit]
        if rng.random() < s2_share:
            report = self._report(programme, ref, template, "S2", 1)
            if report is not None:
                if rng.random() < 0.8 or programme.period == PREVIOUS:
                    self._submit(report, period, late=habit == "late", due=s2_due)
                programme.reports.append(report)

    def _report(
        self,
        programme: ProgrammePlan,
        ref: OrmasRef,
        template: _Template,
        window: str,
        number: int,
        *,
        latest: dt.date | None = None,
    ) -> ReportPlan | None:
        """An activity of the programme in a semester, or None when none fits the dates."""
        rng, period = self.rng, self.periods[programme.period]
        low, high = (
            (dt.date(period.year, 1, 1), dt.date(period.year, 6, 30))
            if window == "S1"
            else (dt.date(period.year, 7, 1), dt.date(period.year, 12, 20))
        )
        accepted = next(s.at.date() for s in programme.steps if s.action == "accept")
        low = max(low, programme.start, accepted + dt.timedelta(days=1))
        high = min(high, programme.end, latest or self.today - dt.timedelta(days=12))
        if high < low:
            return None
        start = self._day(low, high)
        end = min(start + dt.timedelta(days=rng.choice((0, 0, 0, 1, 2))), high)
        end = max(end, start)
        activity = template.activities[number % 2]
        if rng.random() < 0.3:
            activity += " " + rng.choice(("angkatan II", "tahap lanjutan", "putaran kedua"))
        people = self._people(ref.bidang[0], rng.randint(15, 90))
        total = sum(people.values())
        location = rng.choice((ref.region_id, ref.region_id, programme.locations[0]))
        place = (
            f"{template.place} RW {rng.randint(1, 9):02d}" if rng.random() < 0.4 else template.place
        )
        women = people["female_under16"] + people["female_youth"] + people["female_over30"]
        youth = people["male_youth"] + people["female_youth"]
        narrative = (
            f"{activity} dilaksanakan di {place[0].lower() + place[1:]} pada "
            f"{_indonesian_date(start)}, diikuti {total} peserta ({women} perempuan, {youth} "
            f"berusia 16–30 tahun). {rng.choice(_NARRATIVE_CLOSINGS)}"
        )
        cost = round(programme.budget * rng.uniform(0.1, 0.45) / 5000) * 5000
        values = [self._value(ind, people, number) for ind in programme.indicators]
        created = self._at(end + dt.timedelta(days=rng.randint(0, 4)))
        return ReportPlan(
            title=activity,
            window=window,
            start=start,
            end=end,
            location_id=location,
            location_detail=place,
            narrative=narrative,
            people=people,
            cost=cost,
            values=values,
            created=min(created, self.latest - dt.timedelta(days=2)),
        )

    def _people(self, bidang: str, total: int) -> dict[str, int]:
        rng = self.rng
        youth = rng.uniform(*_YOUTH_SHARE.get(bidang, (0.2, 0.45)))
        women = rng.uniform(*_WOMEN_SHARE.get(bidang, (0.3, 0.55)))
        children = rng.uniform(*_CHILD_SHARE.get(bidang, (0.0, 0.1)))
        children = min(children, 1 - youth)
        female = round(total * women)
        male = total - female

        def split(count: int) -> tuple[int, int, int]:
            under16 = round(count * children)
            young = round(count * youth)
            young = min(young, count - under16)
            return under16, young, count - under16 - young

        m = split(male)
        f = split(female)
        return dict(zip(_PEOPLE_FIELDS, (*m, *f), strict=True))

    def _value(
        self, indicator: IndicatorPlan, people: dict[str, int], number: int
    ) -> Decimal | None:
        rng = self.rng
        spec = next(s for s in INDICATORS.values() if s.name == indicator.name)
        target = float(indicator.target)
        baseline = float(indicator.baseline) if indicator.baseline is not None else 0.0
        total = sum(people.values())
        if spec.kind == "people":
            value = float(total)
        elif spec.kind == "count":
            value = float(rng.randint(1, 3))
        elif spec.kind == "amount":
            value = round(target * rng.uniform(0.15, 0.55))
        elif spec.kind == "score":
            value = round(min(5.0, target + rng.uniform(-0.5, 0.3)), 1)
        elif spec.kind == "women":
            women = people["female_under16"] + people["female_youth"] + people["female_over30"]
            value = round(100 * women / total) if total else 0
        elif spec.kind == "share":
            value = round(target * rng.uniform(0.85, 1.02))
        elif spec.kind == "avg":
            value = round(target * rng.uniform(0.8, 1.12), 1)
        elif spec.kind == "avg_lower":
            value = round(target * rng.uniform(0.85, 1.5), 1)
        else:  # trend: from the baseline towards the target, further with every report
            progress = min(1.1, rng.uniform(0.3, 0.6) + 0.35 * number)
            value = round(baseline + (target - baseline) * progress)
        if rng.random() < 0.08 and spec.kind not in ("people", "count"):
            return None  # left empty by the ormas
        return Decimal(str(max(0, value)))

    def _submit(
        self, report: ReportPlan, period: PeriodPlan, *, late: bool, due: dt.date | None = None
    ) -> None:
        """Submission on time or late, then a review (verify 65 %, return 15 %, pending)."""
        rng = self.rng
        due = due or period.s1_due
        if late:
            submitted = self._at(
                self._day(
                    max(due + dt.timedelta(days=3), report.created.date()),
                    min(due + dt.timedelta(days=75), self.latest.date() - dt.timedelta(days=2)),
                )
            )
        else:
            submitted = self._at(self._day(report.created.date(), min(due, self.latest.date())))
        submitted = max(submitted, report.created + dt.timedelta(minutes=30))
        if not self._past(submitted):
            return
        report.steps.append(Step("submit", submitted))
        outcome = rng.choices(("verify", "pending", "return"), weights=(65, 20, 15))[0]
        if period.key == PREVIOUS:
            outcome = rng.choices(("verify", "pending", "return"), weights=(88, 7, 5))[0]
        if outcome == "pending":
            return
        reviewed = self._after(submitted, 2, 25)
        if not self._past(reviewed):
            return
        if outcome == "verify":
            report.steps.append(Step("verify", reviewed))
            return
        report.steps.append(Step("return", reviewed, rng.choice(REPORT_RETURN_REASONS)))
        if rng.random() < 0.45:
            self._resubmit(report, reviewed, verify=rng.random() < 0.5)

    def _resubmit(self, report: ReportPlan, returned: dt.datetime, *, verify: bool) -> None:
        fixed = self._after(returned, 1, 8)
        if not self._past(fixed + dt.timedelta(minutes=30)):
            return
        extra = self.rng.randint(2, 9)
        report.fix_people = dict(report.people)
        report.fix_people["female_youth"] += extra
        report.steps.append(Step("fix", fixed))
        report.steps.append(Step("submit", fixed + dt.timedelta(minutes=30)))
        verified = self._after(fixed, 2, 12)
        if verify and self._past(verified):
            report.steps.append(Step("verify", verified))

    # -- the operators' ormas: a fixed mix they see after logging in

    def _designed_reports(
        self, programme: ProgrammePlan, ref: OrmasRef, template: _Template, design: str
    ) -> None:
        period = self.periods[programme.period]
        if design == "operator-previous":
            for window in ("S1", "S2"):
                report = self._report(programme, ref, template, window, 0 if window == "S1" else 1)
                if report is not None:
                    self._submit_and(report, period.s1_due if window == "S1" else None, "verify")
                    programme.reports.append(report)
            return
        if design != "reported":
            return  # "overdue": accepted, semester 1 due, nothing reported
        late = ref.operator == "operator2"
        s1 = self._report(programme, ref, template, "S1", 0)
        if s1 is not None:
            s1.evidence = 2
            self._submit_and(s1, period.s1_due, "verify", late=late)
            programme.reports.append(s1)
        room = self.today - dt.timedelta(days=25)  # the review must lie in the past too
        returned = self._report(programme, ref, template, "S2", 1, latest=room)
        if returned is not None:
            returned.evidence = 1
            self._submit_and(returned, None, "return")
            programme.reports.append(returned)
        if ref.operator == "operator2":
            again = self._report(programme, ref, template, "S2", 0, latest=room)
            if again is not None:
                self._submit_and(again, None, "resubmit")
                programme.reports.append(again)

    def _submit_and(
        self, report: ReportPlan, due: dt.date | None, outcome: str, *, late: bool = False
    ) -> None:
        rng = self.rng
        if due is not None and late:
            submitted = self._at(due + dt.timedelta(days=rng.randint(5, 20)))
        elif due is not None:
            submitted = self._at(self._day(report.created.date(), due - dt.timedelta(days=1)))
        else:
            submitted = self._after(report.created, 0, 2)
        submitted = max(submitted, report.created + dt.timedelta(minutes=30))
        reviewed = submitted + dt.timedelta(days=rng.randint(2, 5))
        report.steps.append(Step("submit", submitted))
        if outcome == "verify":
            report.steps.append(Step("verify", reviewed))
        elif outcome == "return":
            report.steps.append(Step("return", reviewed, REPORT_RETURN_REASONS[0]))
        else:
            report.steps.append(Step("return", reviewed, REPORT_RETURN_REASONS[1]))
            report.fix_people = dict(report.people)
            report.fix_people["female_youth"] += 4
            fixed = reviewed + dt.timedelta(days=1)
            report.steps.append(Step("fix", fixed))
            report.steps.append(Step("submit", fixed + dt.timedelta(minutes=30)))

    # -- financial summaries

    def _finances(self, programmes: list[ProgrammePlan]) -> list[FinancePlan]:
        rng = self.rng
        by_ref = {ref.id: ref for ref in self.ormas}
        plans: list[FinancePlan] = []
        for key, period in self.periods.items():
            if key == NEXT:  # nothing spent yet on next year
                continue
            taking_part = sorted({p.ormas_id for p in programmes if p.period == key})
            for ormas_id in taking_part:
                ref = by_ref[ormas_id]
                if not ref.operator and rng.random() >= 0.6:
                    continue
                scale = rng.lognormvariate(16.2, 0.8)  # ≈ Rp 10 juta a year, widely spread
                values: dict[str, Any] = {}
                shares = {
                    "income_iuran": 0.85,
                    "income_usaha": 0.2,
                    "income_hibah": 0.2,
                    "income_donasi": 0.55,
                    "income_csr_lainnya": 0.1,
                }
                for name, share in shares.items():
                    used = rng.random() < share or (name == "income_iuran" and ref.operator)
                    weight = {"income_hibah": 1.5, "income_usaha": 0.8}.get(name, 0.5)
                    amount = scale * weight * rng.uniform(0.3, 1.2) if used else 0
                    values[name] = Decimal(round(amount / 10_000) * 10_000)
                if not any(values.values()):  # every ormas collects at least its dues
                    values["income_iuran"] = Decimal(round(scale * 0.4 / 10_000) * 10_000)
                income = sum(values.values())
                values["expenditure"] = Decimal(
                    round(float(income) * rng.uniform(0.7, 1.05) / 10_000) * 10_000
                )
                past = key == PREVIOUS
                reported = rng.random() < (0.8 if past else 0.5) or bool(ref.operator)
                values["reported"] = reported
                values["audited"] = reported and rng.random() < (0.25 if past else 0.08)
                values["published"] = reported and rng.random() < (0.4 if past else 0.2)
                if past:
                    at = self._at(dt.date(period.year + 1, 1, rng.randint(5, 28)))
                else:
                    at = self._at(self.today - dt.timedelta(days=rng.randint(5, 90)))
                plans.append(FinancePlan(ormas_id, ref.kabkota, key, values, at, ref.operator))
        return plans


# The demo operators each see: an accepted programme with a verified report and a returned
# one (operator2 also a resubmitted report), an accepted programme with semester 1 overdue, and
# a draft programme to send in an open period — next year's in Kota Blitar (whose current period
# is being assessed), the current one in Kabupaten Blitar — plus (operator2) a programme
# returned with a note, to fix and send again.
_OPERATOR_DESIGNS = {
    "operator": ((CURRENT, "reported"), (CURRENT, "overdue"), (NEXT, "draft")),
    "operator2": (
        (CURRENT, "reported"),
        (CURRENT, "overdue"),
        (NEXT, "draft"),
        (NEXT, "returned"),
    ),
    "operator_kab": ((CURRENT, "reported"), (CURRENT, "overdue"), (CURRENT, "draft")),
}
_OPERATOR_PROGRAMME_STATES = {
    "reported": "accepted",
    "overdue": "accepted",
    "draft": "draft",
    "returned": "returned",
    "operator-previous": "accepted",
}

_MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def _indonesian_date(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


# --- Writing ----------------------------------------------------------------------------------

Progress = Callable[[str, int, int], None]


@dataclass
class PlanningSummary:
    rpjmd: int = 0
    rpjmd_items: int = 0
    periods: int = 0
    programmes: Counter[str] = field(default_factory=Counter)
    reports: Counter[str] = field(default_factory=Counter)
    evidence: int = 0
    financial_summaries: int = 0


class _Clock:
    """Stands in for `django.utils.timezone.now` while the demo is written.

    The services, django-simple-history and `auto_now` fields all ask `timezone.now()`; during
    `running()` they get the moment last set with `at()`, so a report planned for 10 July is
    submitted, logged and stamped on 10 July. Only this module's writer sets it, in one
    management command; the real clock is back as soon as the block ends.
    """

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


def ormas_refs() -> list[OrmasRef]:
    """The demo ormas as the planner sees them."""
    operators = {
        user.ormas_id: user.username
        for user in registry_demo.demo_users()
        if user.ormas_id is not None
    }
    bidang: dict[int, list[str]] = {}
    for ormas_id, code in (
        Ormas.bidang.through.objects.filter(ormas__is_demo=True)
        .order_by("pk")
        .values_list("ormas_id", "bidang_id")
    ):
        bidang.setdefault(ormas_id, []).append(code)
    return [
        OrmasRef(
            id=ormas.pk,
            name=ormas.name,
            kabkota=ormas.region_id[:5],
            region_id=ormas.region_id,
            bidang=tuple(sorted(bidang.get(ormas.pk, ["lainnya"]))),
            activity_status=ormas.activity_status,
            operator=operators.get(ormas.pk, ""),
        )
        for ormas in Ormas.objects.filter(
            Q(region__code__startswith=KOTA_BLITAR + ".")
            | Q(region__code__startswith=KAB_BLITAR + "."),
            is_demo=True,
        )
    ]


@transaction.atomic
def demo_seed(
    *, seed: int = registry_demo.DEFAULT_SEED, progress: Progress | None = None
) -> PlanningSummary:
    """RPJMD, periods, programmes, reports and financial summaries for the demo ormas."""
    report: Progress = progress or (lambda stage, done, total: None)
    demo_reset()  # leftovers of an earlier demo whose ormas were removed without it
    taken = Rpjmd.objects.filter(region_id__in=REGIONS, start_year=RPJMD_YEARS[0])
    if taken.exists():
        raise registry_demo.DemoRefused(
            _(
                "Sudah ada RPJMD %(years)s untuk Kota/Kabupaten Blitar yang dipakai data lain; "
                "RPJMD demo tidak dimuat di atasnya."
            )
            % {"years": f"{RPJMD_YEARS[0]}–{RPJMD_YEARS[1]}"}
        )
    users = {user.username: user for user in registry_demo.demo_users()}
    plan = plan_demo(seed=seed, today=timezone.localdate(), ormas=ormas_refs())
    writer = _Writer(plan, users, report)
    writer.write()
    return writer.summary


class _Writer:
    def __init__(self, plan: PlanningPlan, users: dict[str, User], progress: Progress) -> None:
        self.plan = plan
        self.users = users
        self.progress = progress
        self.clock = _Clock()
        self.summary = PlanningSummary()
        self.admins = {KOTA_BLITAR: users["admin_kota"], KAB_BLITAR: users["admin_kab"]}
        self.assessor = users.get("penilai")
        ormas_ids = {p.ormas_id for p in plan.programmes} | {f.ormas_id for f in plan.finances}
        self.ormas = Ormas.objects.in_bulk(ormas_ids)
        self.assessed = set(
            Assignment.objects.filter(assessor=self.assessor).values_list("ormas_id", flat=True)
        )
        codes = {code for p in plan.programmes for code in p.locations}
        codes |= {r.location_id for r in plan.reports}
        self.regions = Region.objects.in_bulk(codes)
        self.bidang = Bidang.objects.in_bulk()
        self.sasaran: dict[tuple[str, str], RpjmdItem] = {}
        self.rpjmd: dict[str, Rpjmd] = {}
        self.periods: dict[tuple[str, str], Period] = {}
        self.photos = 0

    def write(self) -> None:
        with self.clock.running():
            self._write()
        self._count()

    def _write(self) -> None:
        self._rpjmd()
        self._periods()
        for key in (PREVIOUS, CURRENT, NEXT):
            programmes = [p for p in self.plan.programmes if p.period == key]
            for done, programme in enumerate(programmes, start=1):
                self._programme(programme)
                self.progress(
                    _("program kerja %(year)s") % {"year": self.plan.periods[key].year},
                    done,
                    len(programmes),
                )
            for finance in (f for f in self.plan.finances if f.period == key):
                self._finance(finance)
        for (_region, key), period in self.periods.items():
            for action, when in self.plan.periods[key].moves:
                self.clock.at(when)
                planning.period_move(
                    actor=self.admins[period.region_id], period=period, action=action
                )

    # -- RPJMD and periods

    def _rpjmd(self) -> None:
        for kabkota, spec in RPJMD_SPECS.items():
            admin = self.admins[kabkota]
            self.clock.at(self.plan.rpjmd_at)
            rpjmd = planning.rpjmd_save(
                actor=admin,
                data={
                    "region_id": kabkota,
                    "title": spec.title,
                    "start_year": RPJMD_YEARS[0],
                    "end_year": RPJMD_YEARS[1],
                    "legal_basis": spec.legal_basis,
                    "visi": spec.visi,
                    "note": spec.note,
                },
            )
            self.rpjmd[kabkota] = rpjmd
            items: dict[str, RpjmdItem] = {}
            levels = (RpjmdLevel.MISI, RpjmdLevel.TUJUAN, RpjmdLevel.SASARAN, RpjmdLevel.INDIKATOR)
            entries = sorted((*spec.misi, *spec.tree), key=lambda i: (i.code.count("."), i.code))
            for order, entry in enumerate(entries, start=1):
                depth = entry.code.count(".")
                parent = items[entry.code.rsplit(".", 1)[0]] if depth else None
                item = planning.rpjmd_item_save(
                    actor=admin,
                    rpjmd=rpjmd,
                    data={
                        "level": levels[depth],
                        "code": entry.code,
                        "text": entry.text,
                        "unit": entry.unit,
                        "parent": parent,
                        "illustrative": depth > 0 or spec.misi_illustrative,
                        "order": order,
                    },
                )
                items[entry.code] = item
                if depth == 2:
                    self.sasaran[(kabkota, entry.code)] = item
            self.summary.rpjmd += 1
            self.summary.rpjmd_items += len(items)
        self.progress(_("RPJMD"), 1, 1)

    def _periods(self) -> None:
        for key in (PREVIOUS, CURRENT, NEXT):
            spec = self.plan.periods[key]
            for kabkota in spec.regions:
                admin = self.admins[kabkota]
                self.clock.at(spec.created)
                period = planning.period_save(
                    actor=admin,
                    data={
                        "region_id": kabkota,
                        "name": spec.name,
                        "start": spec.start,
                        "end": spec.end,
                        "report_frequency": ReportFrequency.SEMESTER,
                        "report_due_days": REPORT_DUE_DAYS,
                        "programme_due": spec.programme_due,
                        "self_assessment_due": spec.self_assessment_due,
                        "verification_due": spec.verification_due,
                        "appeal_due": spec.appeal_due,
                        "rpjmd": self.rpjmd[kabkota],
                    },
                )
                self.clock.at(spec.opened)
                planning.period_move(actor=admin, period=period, action="open")
                self.periods[(kabkota, key)] = period
                self.summary.periods += 1

    # -- programmes and reports

    def _editor(self, item: ProgrammePlan | FinancePlan) -> User | None:
        """Who writes for the ormas: its own operator, else the system on its behalf."""
        return self.users.get(item.operator) if item.operator else None

    def _submitter(self, programme: ProgrammePlan) -> User:
        """Submitting needs a user who may edit: the operator, else the region's Kesbangpol."""
        return self._editor(programme) or self.admins[programme.kabkota]

    def _reviewer(self, programme: ProgrammePlan) -> User:
        if self.assessor is not None and programme.ormas_id in self.assessed:
            return self.assessor
        return self.admins[programme.kabkota]

    def _programme(self, plan: ProgrammePlan) -> None:
        ormas = self.ormas[plan.ormas_id]
        editor = self._editor(plan)
        self.clock.at(plan.created)
        programme = planning.programme_save(
            actor=editor,
            ormas=ormas,
            data={
                "period": self.periods[(plan.kabkota, plan.period)],
                "title": plan.title,
                "objective": plan.objective,
                "start_date": plan.start,
                "end_date": plan.end,
                "budget": Decimal(plan.budget),
                "funding_sources": plan.funding,
                "target_beneficiaries": plan.beneficiaries,
                "beneficiary_description": plan.who,
            },
            bidang=[self.bidang[code] for code in plan.bidang if code in self.bidang],
            sasaran=[self.sasaran[(plan.kabkota, code)] for code in plan.sasaran] or None,
            locations=[self.regions[code] for code in plan.locations if code in self.regions],
        )
        indicators = []
        for order, spec in enumerate(plan.indicators, start=1):
            self.clock.at(plan.created + dt.timedelta(minutes=order))
            indicators.append(
                planning.indicator_save(
                    actor=editor,
                    programme=programme,
                    data={
                        "name": spec.name,
                        "unit": spec.unit,
                        "baseline": spec.baseline,
                        "target": spec.target,
                        "polarity": spec.polarity,
                        "aggregation": spec.aggregation,
                        "order": order,
                    },
                )
            )
        for step in plan.steps:
            self.clock.at(step.at)
            if step.action == "submit":
                planning.programme_submit(actor=self._submitter(plan), programme=programme)
            elif step.action in ("accept", "return"):
                planning.programme_review(
                    actor=self.admins[plan.kabkota],
                    programme=programme,
                    accept=step.action == "accept",
                    note=step.note,
                )
            elif step.action == "fix":  # answered the review note
                planning.programme_save(
                    actor=editor,
                    ormas=ormas,
                    programme=programme,
                    data={
                        "objective": plan.objective
                        + " Target dan rincian anggaran dilengkapi sesuai catatan Kesbangpol.",
                        "target_beneficiaries": plan.beneficiaries + 20,
                    },
                    sasaran=[self.sasaran[(plan.kabkota, c)] for c in plan.sasaran]
                    or [self.sasaran[(plan.kabkota, RPJMD_SPECS[plan.kabkota].sasaran[0])]],
                )
        for report in plan.reports:
            self._report(plan, programme, indicators, report)

    def _report(
        self,
        plan: ProgrammePlan,
        programme: Programme,
        indicators: list[ProgrammeIndicator],
        spec: ReportPlan,
    ) -> None:
        editor = self._editor(plan)
        data = {
            "title": spec.title,
            "start_date": spec.start,
            "end_date": spec.end,
            "location_id": spec.location_id,
            "location_detail": spec.location_detail,
            "narrative": spec.narrative,
            "cost": Decimal(spec.cost),
            **spec.people,
        }
        values = {
            indicator: value
            for indicator, value in zip(indicators, spec.values, strict=True)
            if value is not None
        }
        self.clock.at(spec.created)
        report = reporting.report_save(actor=editor, programme=programme, data=data, values=values)
        for number in range(spec.evidence):
            self.clock.at(spec.created + dt.timedelta(minutes=5 + number))
            reporting.evidence_add(
                actor=editor,
                report=report,
                upload=_activity_photo(spec.title, self.photos),
                caption=f"Dokumentasi {spec.title.lower()} ({number + 1})",
            )
            self.photos += 1
            self.summary.evidence += 1
        for step in spec.steps:
            self.clock.at(step.at)
            if step.action == "submit":
                reporting.report_submit(actor=self._submitter(plan), report=report)
            elif step.action in ("verify", "return"):
                reporting.report_review(
                    actor=self._reviewer(plan),
                    report=report,
                    verify=step.action == "verify",
                    reason=step.note,
                )
            elif step.action == "fix":
                fixed = {**spec.fix_people}
                women = fixed["female_under16"] + fixed["female_youth"] + fixed["female_over30"]
                reporting.report_save(
                    actor=editor,
                    programme=programme,
                    report=report,
                    data={
                        **fixed,
                        "narrative": spec.narrative
                        + f" Perbaikan: daftar hadir dicocokkan ulang; peserta perempuan "
                        f"{women} orang.",
                    },
                )

    def _finance(self, plan: FinancePlan) -> None:
        self.clock.at(plan.at)
        reporting.financial_summary_save(
            actor=self._editor(plan),
            ormas=self.ormas[plan.ormas_id],
            period=self.periods[(plan.kabkota, plan.period)],
            data=plan.values,
        )
        self.summary.financial_summaries += 1

    def _count(self) -> None:
        demo = Q(ormas__is_demo=True)
        self.summary.programmes = Counter(
            Programme.objects.filter(demo).values_list("state", flat=True)
        )
        self.summary.reports = Counter(
            ActivityReport.objects.filter(programme__ormas__is_demo=True).values_list(
                "state", flat=True
            )
        )


def _activity_photo(title: str, number: int) -> SimpleUploadedFile:
    """A small invented "photo" of an activity, labelled as fictional; JPEG and PNG alternate."""
    palette = ((84, 130, 170), (120, 160, 110), (170, 140, 100), (110, 110, 150))
    sky = palette[number % len(palette)]
    image = Image.new("RGB", (360, 240), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 150, 360, 240), fill=(96, 128, 72))
    for person in range(7):  # a row of stick-figure participants
        x = 30 + person * 45 + (number * 7) % 20
        draw.ellipse((x, 118, x + 16, 134), fill=(230, 200, 170))
        draw.rectangle((x + 2, 134, x + 14, 170), fill=palette[(number + person) % len(palette)])
    draw.rectangle((10, 10, 350, 56), fill=(250, 248, 240), outline=(40, 40, 40))
    draw.text((18, 16), "FOTO KEGIATAN FIKTIF - DATA DEMO SIPKO", fill=(20, 20, 20))
    draw.text((18, 34), title.encode("ascii", "replace").decode()[:52], fill=(20, 20, 20))
    buffer = io.BytesIO()
    if number % 2:
        image.save(buffer, "PNG")
        return SimpleUploadedFile("foto-kegiatan.png", buffer.getvalue(), "image/png")
    image.save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile("foto-kegiatan.jpg", buffer.getvalue(), "image/jpeg")


# --- Reset ------------------------------------------------------------------------------------


@transaction.atomic
def demo_reset() -> tuple[int, int, int]:
    """Remove the planning demo: the demo ormas' programmes (with reports, evidence and files),
    financial summaries and state log, then the demo periods and RPJMD no real data use.

    Returns (programmes, periods, RPJMD) deleted. Runs before the registry's `demo_reset`.
    """
    from sipko.assessment.demo import demo_reset as assessment_reset

    assessment_reset()  # assessments protect the demo periods they belong to
    demo_ormas = Ormas.objects.filter(is_demo=True)
    programmes = Programme.objects.filter(ormas__in=demo_ormas)
    reports = ActivityReport.objects.filter(programme__in=programmes)
    files = [
        name
        for pair in Evidence.objects.filter(report__in=reports).values_list("file", "thumbnail")
        for name in pair
        if name
    ]
    periods = Period.objects.filter(region_id__in=REGIONS, name__endswith=DEMO_SUFFIX)
    # The state log refers to its objects generically: nothing cascades to it.
    for model, queryset in ((Programme, programmes), (ActivityReport, reports)):
        StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=list(queryset.values_list("pk", flat=True)),
        ).delete()
    FinancialSummary.objects.filter(ormas__in=demo_ormas).delete()
    programme_count = programmes.count()
    programmes.delete()
    # A demo period that a real ormas has used stays (and so does its RPJMD).
    free = list(
        periods.exclude(pk__in=Programme.objects.values("period"))
        .exclude(pk__in=FinancialSummary.objects.values("period"))
        .values_list("pk", flat=True)
    )
    StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Period), object_id__in=free
    ).delete()
    period_count = Period.objects.filter(pk__in=free).delete()[1].get(Period._meta.label, 0)
    rpjmd = Rpjmd.objects.filter(region_id__in=REGIONS, title__endswith=DEMO_SUFFIX).exclude(
        pk__in=Period.objects.exclude(rpjmd=None).values("rpjmd")  # NOT IN with NULL: none
    )
    rpjmd_count = rpjmd.delete()[1].get(Rpjmd._meta.label, 0)
    transaction.on_commit(lambda: _delete_files(files))
    return programme_count, period_count, rpjmd_count


def _delete_files(names: list[str]) -> None:
    storage = Evidence._meta.get_field("file").storage
    folders: set[str] = set()
    for name in names:
        storage.delete(name)
        folders.update((posixpath.dirname(name), posixpath.dirname(posixpath.dirname(name))))
    # Each report had its own folder (`reports/<uuid>/thumbs`); remove the ones left empty.
    for folder in sorted(folders, key=len, reverse=True):
        with suppress(NotImplementedError, OSError):  # not on disk, or not empty
            os.rmdir(storage.path(folder))
