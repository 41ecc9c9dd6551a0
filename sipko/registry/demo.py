"""The fictional Blitar Raya demo registry (SPEC §5 "demo data are fictional", §6 `seed_demo`).

Two halves:

- `plan_demo` is plain Python: from a seed, a day and the real kelurahan/desa codes it draws
  158 invented ormas with their officers and documents. Same inputs, same plan.
- `demo_seed` writes a plan through the registry services (so every row has its history), creates
  the demo accounts and assigns the assessor; `demo_reset` removes all of it again.

Names are built from Javanese words and activity words ("Paguyuban Seni Tirta Wening"); words
and acronyms of real national organisations are never used (`BLOCKED_WORDS`). Every record
carries `is_demo=True`, which the interface shows as a "data fiktif" banner. Dates are drawn
relative to `today`, so the mix of valid, expiring and expired SKTs holds whenever it is loaded.
docs/demo-data.md describes the result for people.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from sipko.accounts.models import Role, User
from sipko.lib.dates import add_years
from sipko.lib.text import compact, fold, name_key
from sipko.regions.models import Level, Region, within_q
from sipko.regions.services import BUNDLED_CSV, regions_import
from sipko.registry import services
from sipko.registry.models import (
    ActivityStatus,
    Bidang,
    Document,
    DocumentType,
    LegalForm,
    Office,
    Ormas,
    Position,
    ScopeLevel,
    Verdict,
)

DEFAULT_SEED = 2025
DEMO_PASSWORD = "demo12345"
# Demo accounts are recognised by username *and* this reserved (RFC 2606) mail domain, so a real
# account that happens to be called "operator" is never touched by `demo_reset`.
DEMO_EMAIL_DOMAIN = "demo.sipko.example"
ORMAS_EMAIL_DOMAIN = "contoh.example"

KOTA_BLITAR = "35.72"
KAB_BLITAR = "35.05"
ORMAS_PER_KABKOTA = {KOTA_BLITAR: 60, KAB_BLITAR: 98}
REGION_PREFIXES = ("35",)  # Jawa Timur: the demo's two kab/kota, the province and neighbours

# How the 158 are registered. "akan habis" SKTs expire within the 90-day warning window.
REGISTRATION_MIX = {
    "ahu_perkumpulan": 12,
    "ahu_yayasan": 8,
    "skt_berlaku": 73,
    "skt_akan_habis": 10,
    "skt_kedaluwarsa": 25,
    "local": 10,
    "none": 20,
}
# Statuses other than *aktif*, with the registrations they most often go with.
ACTIVITY_MIX = (
    (ActivityStatus.BUBAR, 1, ("skt_kedaluwarsa",)),
    (ActivityStatus.DIBEKUKAN, 2, ("skt_kedaluwarsa", "skt_berlaku")),
    (ActivityStatus.TIDAK_DITEMUKAN, 9, ("none", "skt_kedaluwarsa", "local")),
    (ActivityStatus.TIDAK_AKTIF, 22, ("skt_kedaluwarsa", "none")),
)
DOCUMENT_ORMAS = 40
ASSESSED_ORMAS = 10

# Office codes in the SKT numbers (`220/123/410.206/2021`); invented, one per kab/kota.
_OFFICE_CODE = {KOTA_BLITAR: "410.206", KAB_BLITAR: "409.110"}

# --- Word lists -----------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    """A word list written as comma-separated text (line breaks are ignored)."""
    return tuple(" ".join(item.split()) for item in text.split(",") if item.strip())


# What a group does, per bidang: the first words of its name.
_KINDS: dict[str, tuple[str, ...]] = {
    "keagamaan": _words("""Majelis Pengajian, Paguyuban Sholawat, Jamaah Dzikir,
        Forum Silaturahmi Umat, Persekutuan Doa Warga"""),
    "kepercayaan": _words("Paguyuban Penghayat, Perkumpulan Penghayat Kepercayaan"),
    "sosial": _words("""Perkumpulan Peduli Sesama, Forum Relawan Sosial, Paguyuban Warga,
        Lembaga Kesejahteraan Sosial, Komunitas Berbagi"""),
    "pendidikan": _words("""Forum Pegiat Literasi, Komunitas Belajar, Perkumpulan Pendidik,
        Lembaga Kursus Keterampilan"""),
    "kesehatan": _words("""Perkumpulan Kader Sehat, Forum Peduli Gizi, Komunitas Pendonor Darah,
        Paguyuban Kader Lansia"""),
    "kepemudaan": _words("""Ikatan Pemuda, Forum Pemuda, Himpunan Remaja, Gerakan Muda,
        Komunitas Pemuda Kreatif"""),
    "perempuan": _words("""Perkumpulan Perempuan, Forum Ibu Berdaya, Paguyuban Wanita Tani,
        Komunitas Perempuan Mandiri"""),
    "seni_budaya_adat": _words("""Paguyuban Seni, Sanggar Tari, Paguyuban Jaranan,
        Perkumpulan Karawitan, Sanggar Seni, Paguyuban Seni Reog, Komunitas Dalang Muda"""),
    "lingkungan": _words("""Komunitas Pecinta Alam, Forum Peduli Sungai, Kelompok Bank Sampah,
        Perkumpulan Pelestari Lingkungan"""),
    "kebencanaan": _words("""Forum Relawan Tanggap Bencana, Komunitas Siaga Bencana,
        Perkumpulan Relawan"""),
    "ekonomi_umkm": _words("""Paguyuban Pedagang Pasar, Himpunan Pengrajin,
        Perkumpulan Pelaku UMKM, Kelompok Tani, Paguyuban Peternak"""),
    "profesi": _words("""Ikatan Pengemudi Ojek, Paguyuban Juru Parkir, Ikatan Penjahit,
        Perkumpulan Tukang Bangunan, Paguyuban Perias Pengantin"""),
    "olahraga_hobi": _words("""Komunitas Sepeda, Perkumpulan Penggemar Burung Kicau,
        Klub Bola Voli, Paguyuban Pencak Silat, Komunitas Pelari"""),
    "demokrasi_hukum_ham": _words("""Lembaga Kajian Hukum Warga, Forum Pemantau Demokrasi,
        Lembaga Pendamping Warga"""),
    "kebangsaan": _words("""Forum Wawasan Kebangsaan, Paguyuban Cinta Tanah Air,
        Forum Pembauran Warga"""),
    "lainnya": _words("Paguyuban Warga Perantau, Komunitas Warga"),
}
_YAYASAN_KINDS = {
    "keagamaan": "Yayasan Sosial Keagamaan",
    "sosial": "Yayasan Sosial",
    "pendidikan": "Yayasan Pendidikan",
    "kesehatan": "Yayasan Kesehatan",
    "seni_budaya_adat": "Yayasan Kebudayaan",
    "lingkungan": "Yayasan Pelestari Lingkungan",
}
# Weight of each bidang as the main one (Blitar Raya: many religious, social and arts groups).
_BIDANG_WEIGHTS = {
    "keagamaan": 14,
    "kepercayaan": 2,
    "sosial": 14,
    "pendidikan": 8,
    "kesehatan": 5,
    "kepemudaan": 10,
    "perempuan": 6,
    "seni_budaya_adat": 12,
    "lingkungan": 5,
    "kebencanaan": 4,
    "ekonomi_umkm": 8,
    "profesi": 4,
    "olahraga_hobi": 5,
    "demokrasi_hukum_ham": 2,
    "kebangsaan": 3,
    "lainnya": 1,
}
# Two Javanese words make the proper name ("Tirta Wening"). Common words, uncommon pairs.
_NAME_FIRST = _words("""Tirta, Sekar, Giri, Wana, Candra, Arga, Bayu, Lintang, Puspa, Ratna,
    Sendang, Tunjung, Watu, Ngesti, Mekar, Cipta, Langen, Margi, Jagad, Banyu, Surya, Kembang,
    Kidung, Gandhes, Lumbung, Sabda, Dharma, Nawa, Pandan, Sasmita""")
_NAME_SECOND = _words("""Wening, Asri, Lestari, Mulyo, Arum, Jati, Kencana, Rahayu, Manunggal,
    Sembada, Santosa, Raharjo, Utomo, Laras, Luhur, Mandiri, Agung, Kusumo, Harjo, Wijoyo,
    Lumintu, Sumringah, Rinonce, Kawuryan, Pinilih, Sinangling""")
# Words and acronyms of real national organisations (and of the village bodies every desa has):
# never part of a demo name.
BLOCKED_WORDS = frozenset(
    _words("""nahdlatul, ulama, muhammadiyah, aisyiyah, ansor, banser, fatayat, muslimat,
    pancasila, palang, merah, karang, taruna, pramuka, persis, ldii, fpi, hti, knpi, pkk, tagana,
    orari, rapi, pgri, kadin, hipmi, fkub, mui, nu, pmi, hmi, pmii, gmni, kammi, psht""")
)
BLOCKED_ACRONYMS = frozenset(
    _words("""NU, PMI, PP, GPA, HMI, PMII, GMNI, KNPI, PKK, FPI, HTI, LDII, IPNU, IPPNU, KAMMI,
    GMKI, PMKRI, IMM, PSHT, MUI, FKUB, BPBD, PWI, AJI, IDI, PGRI, HIPMI, KADIN, HKTI, KTNA, IBI,
    PPNI, PERADI, KONI, PSSI, PBSI, SAR, RAPI, ORARI, LBH, YLBHI, WALHI, FKPPI, GRIB, PKB, PKS,
    PDI, PAN, PPP, LSM, BPD, LPM, PKBM, APSI, FKDM, FPK""")
)
_STREETS = _words("""Kenanga, Melati, Cempaka, Anggrek, Mawar, Dahlia, Flamboyan, Sawo, Nangka,
    Duku, Salak, Kemuning, Bougenville, Teratai, Nusa Indah, Srikaya, Belimbing, Jambu,
    Kelapa Gading, Asem Jajar, Randu Alas, Cendana""")
_DUSUN = _words("Krajan, Kulon, Wetan, Lor, Kidul, Tengah, Sumberjo, Ngasem, Kalitelu")
_MALE = _words("""Agus, Bambang, Budi, Darmadi, Eko, Fajar, Gunawan, Hadi, Imam, Joko, Kurniawan,
    Lukman, Mulyono, Nur, Prasetyo, Rudi, Slamet, Sugeng, Teguh, Wahyu, Yusuf, Ahmad, Dwi, Heru,
    Hendra, Sutrisno, Suparman, Rohmad, Arif, Dedi, Yanto, Zainal""")
_FEMALE = _words("""Ani, Dewi, Endang, Fitri, Heni, Indah, Kartika, Lestari, Nanik, Puji, Ratna,
    Siti, Sri, Tri, Umi, Wulan, Yuli, Rina, Sulastri, Erna, Anik, Mariyati, Nurul, Suci""")
_FAMILY = _words("""Santoso, Wibowo, Susanto, Hartono, Purnomo, Setiawan, Kusuma, Wijaya, Rahayu,
    Handayani, Wahyuni, Susilo, Nugroho, Hidayat, Saputra, Pratama, Utami, Sari, Suryani, Riyadi,
    Mulyadi, Hariyanto, Kurniasih, Lestari, Prihatin, Sulistyo, Wardhana, Astuti, Rahmawati,
    Fauzi""")
# Academic degrees after the name; most officers carry none.
_DEGREES = ("", "", "", "", ", S.Pd.", ", S.E.", ", S.Sos.", ", S.H.", ", S.Ag.")
_MOBILE_PREFIXES = _words("812, 813, 821, 822, 852, 853, 857, 858, 877, 878, 895, 896")
_REJECTIONS = {
    DocumentType.AD_ART: "Halaman pengesahan dan tanda tangan pengurus tidak ada.",
    DocumentType.SKT: "Nomor pada berkas berbeda dengan nomor SKT yang tercatat.",
    DocumentType.SK_AHU: "Berkas hasil pindaian buram; nomor dan tanggal SK tidak terbaca.",
    DocumentType.SK_KEPENGURUSAN: "Susunan pengurus dalam SK tidak sama dengan data pengurus.",
    DocumentType.NPWP: "Nama wajib pajak pada kartu bukan nama ormas.",
    DocumentType.FOTO_KANTOR: "Foto tidak memperlihatkan papan nama sekretariat.",
}


# --- The plan -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    nik: str
    phone: str


@dataclass
class OfficerPlan:
    person: Person
    position: str
    term_start: dt.date
    term_end: dt.date


@dataclass
class DocumentPlan:
    doc_type: str
    number: str = ""
    issued: dt.date | None = None
    expires: dt.date | None = None
    verdict: str = Verdict.PENDING
    reason: str = ""

    @property
    def is_photo(self) -> bool:
        return self.doc_type == DocumentType.FOTO_KANTOR


@dataclass
class OrmasPlan:
    """One invented ormas: the values for `services.ormas_save` and what hangs off it."""

    key: str
    kabkota: str
    registration: str  # a REGISTRATION_MIX key
    fields: dict[str, Any]
    bidang: list[str]
    parent_key: str | None = None
    officers: list[OfficerPlan] = field(default_factory=list)
    documents: list[DocumentPlan] = field(default_factory=list)
    tag: str = ""  # why a designed record exists ("dup-name", "chair-a" …); "" for the others
    keep_active: bool = False

    @property
    def name(self) -> str:
        return self.fields["name"]


@dataclass
class DemoPlan:
    ormas: list[OrmasPlan]
    operator_keys: tuple[str, ...]  # by DemoAccount.operator_of
    assessed_keys: list[str]

    def by_key(self) -> dict[str, OrmasPlan]:
        return {item.key: item for item in self.ormas}


@dataclass(frozen=True)
class _Designed:
    """A record placed on purpose: branches of bigger ormas, duplicate pairs, shared chairs."""

    tag: str
    kabkota: str
    name: str = ""  # "" → invented like the others
    acronym: str | None = None  # None → from the name's initials
    registration: str | None = None  # None → drawn from the mix
    legal_form: str | None = None
    bidang: tuple[str, ...] = ()
    scope: str = ScopeLevel.KABUPATEN_KOTA
    parent: str = ""  # tag of the parent record
    kecamatan: str = ""
    keep_active: bool = False


# Branches (`parent`) and the duplicate pairs the detector must find (SPEC §3.2): the same name
# spelled twice, one SKT number on two records, one secretary in two boards, one acronym twice,
# one name under two legal forms. "chair-*" records share their chairperson (multi-chair flag).
_DESIGNED = (
    _Designed(
        "parent-nasional",
        KOTA_BLITAR,
        "Himpunan Pengrajin Sekar Jagad Nusantara",
        "HPSJN",
        "ahu_perkumpulan",
        LegalForm.PERKUMPULAN,
        ("ekonomi_umkm", "seni_budaya_adat"),
        ScopeLevel.NASIONAL,
        keep_active=True,
    ),
    _Designed(
        "branch-kota",
        KOTA_BLITAR,
        "DPC Himpunan Pengrajin Sekar Jagad Kota Blitar",
        "DPC HPSJN Kota Blitar",
        "skt_berlaku",
        bidang=("ekonomi_umkm",),
        parent="parent-nasional",
    ),
    _Designed(
        "branch-kab",
        KAB_BLITAR,
        "DPC Himpunan Pengrajin Sekar Jagad Kabupaten Blitar",
        "DPC HPSJN Kab. Blitar",
        "skt_akan_habis",
        bidang=("ekonomi_umkm",),
        parent="parent-nasional",
    ),
    _Designed(
        "parent-provinsi",
        KAB_BLITAR,
        "Perkumpulan Relawan Sumber Asri Jawa Timur",
        "PRSA",
        "ahu_perkumpulan",
        LegalForm.PERKUMPULAN,
        ("kebencanaan", "sosial"),
        ScopeLevel.PROVINSI,
        kecamatan="35.05.10",
        keep_active=True,
    ),
    _Designed(
        "branch-prov",
        KAB_BLITAR,
        "Perkumpulan Relawan Sumber Asri Kabupaten Blitar",
        "PRSA Kab. Blitar",
        "skt_berlaku",
        bidang=("kebencanaan",),
        parent="parent-provinsi",
    ),
    _Designed(
        "branch-kec",
        KAB_BLITAR,
        "Perkumpulan Relawan Sumber Asri Kecamatan Wlingi",
        "PRSA Wlingi",
        "local",
        bidang=("kebencanaan",),
        scope=ScopeLevel.KECAMATAN,
        parent="branch-prov",
        kecamatan="35.05.17",
    ),
    _Designed(
        "dup-name",
        KOTA_BLITAR,
        "Paguyuban Seni Tirta Wening",
        "PSTW",
        "skt_berlaku",
        bidang=("seni_budaya_adat",),
    ),
    _Designed(
        "dup-name",
        KOTA_BLITAR,
        "PAGUYUBAN SENI TIRTA-WENING",
        "",
        "none",
        bidang=("seni_budaya_adat",),
    ),
    _Designed(
        "dup-skt",
        KAB_BLITAR,
        "Forum Relawan Tanggap Bencana Giri Mulyo",
        None,
        "skt_kedaluwarsa",
        bidang=("kebencanaan",),
    ),
    _Designed(
        "dup-skt",
        KAB_BLITAR,
        "Komunitas Siaga Bencana Wana Laras",
        None,
        "skt_kedaluwarsa",
        bidang=("kebencanaan", "lingkungan"),
    ),
    _Designed(
        "dup-nik",
        KAB_BLITAR,
        "Ikatan Pemuda Ngesti Rahayu",
        None,
        "skt_berlaku",
        bidang=("kepemudaan",),
    ),
    _Designed(
        "dup-nik",
        KAB_BLITAR,
        "Forum Pemuda Karya Ngesti",
        None,
        "skt_kedaluwarsa",
        bidang=("kepemudaan", "olahraga_hobi"),
    ),
    _Designed(
        "dup-acronym",
        KOTA_BLITAR,
        "Forum Pemuda Sekar Arum",
        "FPSA",
        "skt_berlaku",
        bidang=("kepemudaan",),
    ),
    _Designed(
        "dup-acronym",
        KOTA_BLITAR,
        "Forum Peduli Sendang Asri",
        "FPSA",
        "none",
        bidang=("lingkungan",),
    ),
    _Designed(
        "dup-form",
        KAB_BLITAR,
        "Yayasan Lintang Sembada",
        "",
        "ahu_yayasan",
        LegalForm.YAYASAN,
        ("pendidikan",),
    ),
    _Designed(
        "dup-form",
        KAB_BLITAR,
        "Perkumpulan Lintang Sembada",
        "",
        "none",
        LegalForm.PERKUMPULAN,
        ("pendidikan", "sosial"),
    ),
    # Named like the invented records; registrations drawn from the mix.
    _Designed("chair-a", KOTA_BLITAR),
    _Designed("chair-a", KOTA_BLITAR),
    _Designed("chair-b", KAB_BLITAR),
    _Designed("chair-b", KAB_BLITAR),
)


def plan_demo(
    *,
    seed: int,
    today: dt.date,
    villages: Mapping[str, Sequence[str]],
    skt_years: int = 5,
    warning_days: int = 90,
) -> DemoPlan:
    """Draw the demo registry. `villages` maps each kab/kota code to its kelurahan/desa codes.

    Deterministic: the same seed, day and villages give the same plan, and the same names on
    any day. `skt_years` and `warning_days` are the SKT validity and the "akan habis" window.
    """
    planner = _Planner(
        seed=seed,
        today=today,
        villages=villages,
        skt_years=skt_years,
        warning_days=warning_days,
    )
    return planner.plan()


class _Planner:
    def __init__(
        self,
        *,
        seed: int,
        today: dt.date,
        villages: Mapping[str, Sequence[str]],
        skt_years: int,
        warning_days: int,
    ) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.skt_years = skt_years
        self.warning_days = warning_days
        self.villages = {code: sorted(villages[code]) for code in ORMAS_PER_KABKOTA}
        self.name_keys: set[tuple[str, str]] = set()
        self.acronym_keys: set[tuple[str, str]] = set()
        self.numbers: set[str] = set()
        self.niks: set[str] = set()

    def plan(self) -> DemoPlan:
        items = self._designed() + self._invented()
        self._assign_registrations(items)
        # Names are drawn before anything that depends on `today`: a seed names the same ormas
        # whatever day the demo is loaded.
        for item in items:
            self._name(item)
        self._set_activity(items)
        operators, assessed = self._choose_showcases(items)
        self._register_all(items)
        for item in items:
            self._profile(item)
            item.officers = self._officers(item, keep_current=item.key in assessed)
        self._link_officers(items)
        self._documents(items, operators, assessed)
        return DemoPlan(ormas=items, operator_keys=operators, assessed_keys=assessed)

    # -- records

    def _designed(self) -> list[OrmasPlan]:
        items: list[OrmasPlan] = []
        key_by_tag: dict[str, str] = {}
        for number, spec in enumerate(_DESIGNED, start=1):
            fields: dict[str, Any] = {
                "legal_form": spec.legal_form or "",
                "scope_level": spec.scope,
                "region_id": self._village(spec.kabkota, spec.kecamatan),
            }
            if spec.name:  # unnamed ones are named with the invented records (`_name`)
                self.name_keys.add((spec.kabkota, name_key(spec.name)))
                fields["name"] = spec.name
                if spec.acronym is None:
                    fields["acronym"] = self._claim_acronym(spec.kabkota, self._acronym(spec.name))
                else:
                    fields["acronym"] = spec.acronym
                    self.acronym_keys.add((spec.kabkota, compact(spec.acronym)))
            item = OrmasPlan(
                key=f"D{number:02d}",
                kabkota=spec.kabkota,
                registration=spec.registration or "",
                fields=fields,
                bidang=list(spec.bidang) or self._bidang_list(),
                parent_key=key_by_tag.get(spec.parent),
                tag=spec.tag,
                keep_active=spec.keep_active,
            )
            key_by_tag.setdefault(spec.tag, item.key)
            items.append(item)
        return items

    def _invented(self) -> list[OrmasPlan]:
        items: list[OrmasPlan] = []
        for kabkota, total in ORMAS_PER_KABKOTA.items():
            taken = sum(1 for spec in _DESIGNED if spec.kabkota == kabkota)
            for number, region_id in enumerate(self._spread(kabkota, total - taken), start=1):
                bidang = self._bidang_list()
                items.append(
                    OrmasPlan(
                        key=f"{kabkota}-{number:03d}",
                        kabkota=kabkota,
                        registration="",
                        fields={
                            "region_id": region_id,
                            "scope_level": ScopeLevel.KECAMATAN
                            if self.rng.random() < 0.2
                            else ScopeLevel.KABUPATEN_KOTA,
                        },
                        bidang=bidang,
                    )
                )
        return items

    def _spread(self, kabkota: str, count: int) -> list[str]:
        """Villages for `count` ormas: every kecamatan gets one before any gets a second."""
        codes = self.villages[kabkota]
        kecamatan = sorted({code.rsplit(".", 1)[0] for code in codes})
        chosen = [self._village(kabkota, kec) for kec in kecamatan[:count]]
        chosen += [self.rng.choice(codes) for _ in range(count - len(chosen))]
        self.rng.shuffle(chosen)
        return chosen

    def _village(self, kabkota: str, kecamatan: str = "") -> str:
        codes = self.villages[kabkota]
        if kecamatan:
            codes = [code for code in codes if code.startswith(kecamatan + ".")]
        return self.rng.choice(codes)

    def _bidang_list(self) -> list[str]:
        codes = list(_BIDANG_WEIGHTS)
        main = self.rng.choices(codes, weights=list(_BIDANG_WEIGHTS.values()))[0]
        extra = self.rng.choices((0, 1, 2), weights=(45, 40, 15))[0]
        others = [code for code in codes if code not in (main, "lainnya")]
        return [main, *self.rng.sample(others, extra)]

    # -- names

    def _invent_name(self, kabkota: str, bidang: str, legal_form: str) -> str:
        if legal_form == LegalForm.YAYASAN:
            kinds: tuple[str, ...] = (_YAYASAN_KINDS.get(bidang, "Yayasan"),)
        else:
            kinds = _KINDS[bidang]
        for _attempt in range(200):
            first, second = self.rng.choice(_NAME_FIRST), self.rng.choice(_NAME_SECOND)
            name = f"{self.rng.choice(kinds)} {first} {second}"
            key = (kabkota, name_key(name))
            if key not in self.name_keys:
                self.name_keys.add(key)
                return name
        raise RuntimeError("word lists too small for a unique demo name")

    @staticmethod
    def _acronym(name: str) -> str:
        return "".join(word[0] for word in fold(name).split() if word != "dan").upper()[:6]

    def _claim_acronym(self, kabkota: str, acronym: str) -> str:
        """The acronym if it is unused here and no real organisation's, else none at all."""
        key = (kabkota, compact(acronym))
        if len(acronym) < 3 or acronym in BLOCKED_ACRONYMS or key in self.acronym_keys:
            return ""
        self.acronym_keys.add(key)
        return acronym

    # -- registration, legal form, activity

    def _assign_registrations(self, items: list[OrmasPlan]) -> None:
        pool = dict(REGISTRATION_MIX)
        for item in items:
            if item.registration:
                pool[item.registration] -= 1
        if any(n < 0 for n in pool.values()):
            raise RuntimeError("designed records need more registrations than the mix holds")
        rest: list[str] = []
        for kind, count in pool.items():
            rest += [kind] * count
        self.rng.shuffle(rest)
        for item in items:
            if not item.registration:
                item.registration = rest.pop()

    def _register_all(self, items: list[OrmasPlan]) -> None:
        skt_source: OrmasPlan | None = None
        for item in items:
            if item.tag == "dup-skt" and skt_source is not None:
                self._copy_skt(item, skt_source)
                continue
            self._register(item)
            if item.tag == "dup-skt":
                skt_source = item

    def _register(self, item: OrmasPlan) -> None:
        kind, office, f = item.registration, _OFFICE_CODE[item.kabkota], item.fields
        if kind.startswith("ahu"):
            day = self._days_ago(365, 365 * 13)
            series = "07" if kind == "ahu_perkumpulan" else "04"
            serial = self._unique(lambda: f"{self.rng.randint(1000, 199999):07d}")
            f["ahu_number"] = f"AHU-{serial}.AH.01.{series}.Tahun {day.year}"
            f["ahu_date"] = day
        elif kind.startswith("skt"):
            target = self.today + dt.timedelta(days=self.rng.randint(*self._expiry_window(kind)))
            issued = add_years(target, -self.skt_years)
            serial = self._unique(
                lambda: f"220/{self.rng.randint(1, 999):03d}/{office}/{issued.year}"
            )
            f.update(
                skt_number=serial, skt_issued=issued, skt_expires=add_years(issued, self.skt_years)
            )
        elif kind == "local":
            letter = self.rng.choice(("SKL", "SKTL", "STTL"))
            day = self._days_ago(60, 2500)
            number = self._unique(
                lambda: f"{letter}/{self.rng.randint(1, 400):03d}/{office}/{day.year}"
            )
            f.update(local_letter_type=letter, local_letter_number=number, local_letter_date=day)

    def _expiry_window(self, kind: str) -> tuple[int, int]:
        """Days from today to the SKT expiry date, with a margin from each class boundary."""
        warn = self.warning_days
        if kind == "skt_akan_habis":
            return min(5, warn), max(min(5, warn), warn - 10)
        if kind == "skt_kedaluwarsa":
            return -2200, -15
        full = self.skt_years * 365 - 20
        return warn + 30, max(warn + 30, full)

    def _name(self, item: OrmasPlan) -> None:
        """Legal form (it fits the registration) and, unless designed, an invented name."""
        f, kind = item.fields, item.registration
        if not f.get("legal_form"):
            if kind.startswith("ahu"):
                f["legal_form"] = (
                    LegalForm.YAYASAN if kind == "ahu_yayasan" else LegalForm.PERKUMPULAN
                )
            else:
                share = 0.2 if kind.startswith("skt") else 0.1
                f["legal_form"] = (
                    LegalForm.PERKUMPULAN
                    if self.rng.random() < share
                    else LegalForm.TIDAK_BERBADAN_HUKUM
                )
        if "name" not in f:
            name = self._invent_name(item.kabkota, item.bidang[0], f["legal_form"])
            f["name"] = name
            acronym = self._acronym(name) if self.rng.random() < 0.65 else ""
            f["acronym"] = self._claim_acronym(item.kabkota, acronym) if acronym else ""

    def _copy_skt(self, item: OrmasPlan, source: OrmasPlan) -> None:
        # The splinter group kept using its parent group's certificate, typed with spaces.
        number = source.fields["skt_number"].replace("/", " / ")
        item.fields.update(
            skt_number=number,
            skt_issued=source.fields["skt_issued"],
            skt_expires=source.fields["skt_expires"],
        )

    def _set_activity(self, items: list[OrmasPlan]) -> None:
        for item in items:
            item.fields["activity_status"] = ActivityStatus.AKTIF
        for status, count, likely in ACTIVITY_MIX:
            candidates = [
                item
                for item in items
                if not item.keep_active and item.fields["activity_status"] == ActivityStatus.AKTIF
            ]
            candidates.sort(
                key=lambda item: self.rng.random() * (0.3 if item.registration in likely else 1.0)
            )
            for item in candidates[:count]:
                item.fields["activity_status"] = status

    def _choose_showcases(self, items: list[OrmasPlan]) -> tuple[tuple[str, ...], list[str]]:
        """The operators' ormas (two in Kota Blitar, one in Kabupaten Blitar) and the ones
        assigned to the assessor (Kota Blitar): active groups with a valid registration."""

        def active(kabkota: str) -> list[OrmasPlan]:
            return [
                item
                for item in items
                if item.kabkota == kabkota
                and not item.tag
                and item.fields["activity_status"] == ActivityStatus.AKTIF
            ]

        kota = active(KOTA_BLITAR)
        first = next(item for item in kota if item.registration == "skt_berlaku")
        second = next((item for item in kota if item.registration == "skt_akan_habis"), None)
        if second is None:  # the second operator should see the expiry warning: trade an SKT
            second = next(i for i in kota if i.registration == "skt_berlaku" and i is not first)
            donor = next(i for i in items if i.registration == "skt_akan_habis" and not i.tag)
            second.registration, donor.registration = donor.registration, second.registration
        third = next(item for item in active(KAB_BLITAR) if item.registration == "skt_berlaku")
        for item in (first, second, third):
            item.keep_active = True
        others = [item.key for item in kota if item not in (first, second)]
        assessed = [first.key, second.key, *self.rng.sample(others, ASSESSED_ORMAS - 2)]
        return (first.key, second.key, third.key), assessed

    # -- profile

    def _profile(self, item: OrmasPlan) -> None:
        f, rng = item.fields, self.rng
        registered = [f.get("ahu_date"), f.get("skt_issued"), f.get("local_letter_date")]
        years = [d.year for d in registered if d]
        if years:  # founded some years before it first registered
            f["founding_year"] = max(1960, min(years) - int(rng.expovariate(1 / 6)))
        else:
            f["founding_year"] = self.today.year - rng.randint(0, 30)
        f["address"] = self._address(f["region_id"])
        f["office"] = rng.choices(
            (Office.MILIK, Office.SEWA, Office.PINJAM, Office.TIDAK_ADA), weights=(15, 20, 45, 20)
        )[0]
        established = item.registration.startswith("ahu")
        slug = slugify(f["acronym"] or f["name"])[:40].strip("-")
        f["email"] = f"{slug}@{ORMAS_EMAIL_DOMAIN}" if rng.random() < 0.55 else ""
        # Landlines in Blitar (0342) never start with 0 after the area code: these cannot ring.
        f["phone"] = f"+623420{rng.randint(10000, 99999)}" if rng.random() < 0.5 else ""
        f["website"] = f"https://{slug}.{ORMAS_EMAIL_DOMAIN}/" if rng.random() < 0.08 else ""
        if rng.random() < (0.8 if established else 0.3):
            digits = str(rng.randint(10**14, 10**15 - 1))
            f["npwp"] = "0" + digits if rng.random() < 0.5 else digits
        else:
            f["npwp"] = ""
        f["has_bank_account"] = rng.choices(
            (True, False, None), weights=(80, 15, 5) if established else (35, 45, 20)
        )[0]
        members = int(rng.lognormvariate(3.8, 0.9))
        f["members_count"] = min(3000, max(7, members)) if rng.random() < 0.85 else None
        f["is_demo"] = True

    def _address(self, region_id: str) -> str:
        rng = self.rng
        if region_id.rsplit(".", 1)[1].startswith("2") and rng.random() < 0.5:  # a desa
            return (
                f"Dusun {rng.choice(_DUSUN)} RT {rng.randint(1, 6):03d}/RW {rng.randint(1, 4):03d}"
            )
        street = f"Jl. {rng.choice(_STREETS)}"
        if rng.random() < 0.2:
            street += f" Gg. {rng.choice(('I', 'II', 'III', 'IV'))}"
        return f"{street} No. {rng.randint(1, 120)}"

    # -- officers

    def _officers(self, item: OrmasPlan, *, keep_current: bool) -> list[OfficerPlan]:
        rng = self.rng
        status = item.fields["activity_status"]
        if keep_current or item.keep_active:
            days_ago = rng.randint(30, 700)
        elif status in (ActivityStatus.AKTIF, ActivityStatus.TIDAK_AKTIF):
            days_ago = rng.randint(20, 365 * 6)
        else:  # dissolved, suspended or vanished groups: their boards usually lapsed long ago
            days_ago = rng.randint(365 * 4, 365 * 9)
        term_start = self.today - dt.timedelta(days=days_ago)
        term_end = add_years(term_start, rng.choice((3, 5, 5, 5))) - dt.timedelta(days=1)
        extra = rng.sample(
            (Position.WAKIL_KETUA, Position.PEMBINA, Position.PENGAWAS, Position.ANGGOTA),
            rng.randint(0, 2),
        )
        positions = [Position.KETUA, Position.SEKRETARIS, Position.BENDAHARA, *extra]
        kecamatan = item.fields["region_id"].rsplit(".", 1)[0]
        return [
            OfficerPlan(self._person(kecamatan), position, term_start, term_end)
            for position in positions
        ]

    def _person(self, kecamatan: str) -> Person:
        rng = self.rng
        female = rng.random() < 0.4
        given = rng.choice(_FEMALE if female else _MALE)
        name = f"{given} {rng.choice(_FAMILY)}"
        if rng.random() < 0.12:
            name = ("Hj. " if female else "H. ") + name
        name += rng.choice(_DEGREES)
        if rng.random() < 0.2:  # some officers live in another Blitar kecamatan
            kecamatan = rng.choice(self.villages[rng.choice(list(self.villages))]).rsplit(".", 1)[0]
        born = self.today - dt.timedelta(days=rng.randint(20 * 365, 70 * 365))
        day = min(born.day, 28) + (40 if female else 0)
        prefix = kecamatan.replace(".", "") + f"{day:02d}{born.month:02d}{born.year % 100:02d}"
        nik = self._unique(lambda: f"{prefix}{rng.randint(1, 2999):04d}", pool=self.niks)
        phone = (
            f"+62{rng.choice(_MOBILE_PREFIXES)}0000{rng.randint(1000, 9999)}"
            if rng.random() < 0.85
            else ""
        )
        return Person(name=name, nik=nik, phone=phone)

    def _link_officers(self, items: list[OrmasPlan]) -> None:
        """Shared people: one chair of two ormas ("chair-*"), one secretary of two ("dup-nik")."""
        shared = {
            "chair-a": Position.KETUA,
            "chair-b": Position.KETUA,
            "dup-nik": Position.SEKRETARIS,
        }
        first: dict[str, Person] = {}
        for item in items:
            position = shared.get(item.tag)
            if position is None:
                continue
            officer = next(o for o in item.officers if o.position == position)
            if item.tag in first:
                officer.person = first[item.tag]
            else:
                first[item.tag] = officer.person

    # -- documents

    def _documents(
        self, items: list[OrmasPlan], operators: tuple[str, ...], assessed: list[str]
    ) -> None:
        chosen = set(assessed)
        rest = [item.key for item in items if item.key not in chosen]
        chosen.update(self.rng.sample(rest, DOCUMENT_ORMAS - len(chosen)))
        for item in items:
            if item.key not in chosen:
                continue
            item.documents = self._document_set(item)
            if item.key == operators[0]:  # the operator has something to fix, and news pending
                item.documents[0].verdict = Verdict.INVALID
                item.documents[0].reason = _REJECTIONS[item.documents[0].doc_type]
                item.documents[-1].verdict = Verdict.PENDING
                item.documents[-1].reason = ""

    def _document_set(self, item: OrmasPlan) -> list[DocumentPlan]:
        f = item.fields
        chair = item.officers[0]
        docs = [DocumentPlan(DocumentType.AD_ART, issued=chair.term_start)]
        if f.get("ahu_number"):
            docs.append(DocumentPlan(DocumentType.SK_AHU, f["ahu_number"], f["ahu_date"]))
        if f.get("skt_number"):
            docs.append(
                DocumentPlan(DocumentType.SKT, f["skt_number"], f["skt_issued"], f["skt_expires"])
            )
        label = compact(f["acronym"]).upper() or "PENGURUS"
        docs.append(
            DocumentPlan(
                DocumentType.SK_KEPENGURUSAN,
                f"{self.rng.randint(1, 30):02d}/SK/{label}/{chair.term_start.year}",
                chair.term_start,
                chair.term_end,
            )
        )
        if f["npwp"] and self.rng.random() < 0.6:
            docs.append(DocumentPlan(DocumentType.NPWP, f["npwp"]))
        if f["office"] != Office.TIDAK_ADA:
            docs.append(DocumentPlan(DocumentType.FOTO_KANTOR))
        for doc in docs:
            doc.verdict = self.rng.choices(
                (Verdict.VALID, Verdict.PENDING, Verdict.INVALID), weights=(45, 40, 15)
            )[0]
            lapsed = doc.expires is not None and doc.expires < self.today
            if lapsed and doc.verdict == Verdict.VALID:
                doc.verdict = Verdict.INVALID
            if doc.verdict == Verdict.INVALID:
                doc.reason = (
                    "Masa berlaku dokumen telah berakhir." if lapsed else _REJECTIONS[doc.doc_type]
                )
        return docs

    # -- helpers

    def _days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def _unique(self, draw: Callable[[], str], pool: set[str] | None = None) -> str:
        pool = self.numbers if pool is None else pool
        for _attempt in range(1000):
            value = draw()
            if value not in pool:
                pool.add(value)
                return value
        raise RuntimeError("could not draw a unique demo number")


# --- Demo accounts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    last_name: str
    region: str | None = None
    operator_of: int | None = None  # index into DemoPlan.operator_keys
    superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("admin_nasional", Role.NATIONAL_ADMIN, "Hendra", "Wicaksana", superuser=True),
    DemoAccount("admin_jatim", Role.REGION_ADMIN, "Lusi", "Anggraeni", "35"),
    DemoAccount("admin_kota", Role.REGION_ADMIN, "Rina", "Kartikasari", KOTA_BLITAR),
    DemoAccount("admin_kab", Role.REGION_ADMIN, "Bagus", "Pamungkas", KAB_BLITAR),
    DemoAccount("penilai", Role.ASSESSOR, "Dian", "Puspitasari", KOTA_BLITAR),
    DemoAccount("pemantau", Role.VIEWER, "Yoga", "Hermawan", KOTA_BLITAR),
    DemoAccount("operator", Role.OPERATOR, "Sari", "Wulandari", operator_of=0),
    DemoAccount("operator2", Role.OPERATOR, "Arif", "Setyawan", operator_of=1),
    DemoAccount("operator_kab", Role.OPERATOR, "Nanik", "Prihatini", operator_of=2),
)
DEMO_USERNAMES = tuple(account.username for account in DEMO_ACCOUNTS)


def demo_users() -> list[User]:
    """The demo accounts that exist, in the order of DEMO_ACCOUNTS."""
    found = {
        user.username: user
        for user in User.objects.filter(
            username__in=DEMO_USERNAMES, email__endswith="@" + DEMO_EMAIL_DOMAIN
        ).select_related("region", "ormas")
    }
    return [found[name] for name in DEMO_USERNAMES if name in found]


# --- Writing --------------------------------------------------------------------------------------


class DemoRefused(Exception):
    """The database is not in a state the demo may be written into; the message says why."""


Progress = Callable[[str, int, int], None]


@dataclass
class DemoSummary:
    ormas: int = 0
    by_kabkota: dict[str, int] = field(default_factory=dict)
    pengurus: int = 0
    documents: int = 0
    users: int = 0
    assignments: int = 0


def demo_villages() -> dict[str, list[str]]:
    """Kelurahan/desa codes of the demo's kab/kota, from the regions table."""
    villages: dict[str, list[str]] = {}
    for kabkota in ORMAS_PER_KABKOTA:
        villages[kabkota] = list(
            Region.objects.filter(within_q(kabkota), level=Level.KELURAHAN_DESA)
            .order_by("code")
            .values_list("code", flat=True)
        )
    return villages


@transaction.atomic
def demo_seed(*, seed: int = DEFAULT_SEED, progress: Progress | None = None) -> DemoSummary:
    """Load regions, then the demo registry and accounts. Refused when any ormas exists."""
    real = Ormas.objects.filter(is_demo=False).count()
    if real:
        raise DemoRefused(
            _(
                "Basis data berisi %(count)s ormas nyata; data demo fiktif tidak dicampur dengan "
                "data nyata. Muat demo ke basis data yang kosong."
            )
            % {"count": real}
        )
    if Ormas.objects.exists():
        raise DemoRefused(
            _(
                "Data demo sudah dimuat (%(count)s ormas). Pakai --reset untuk memuat ulang "
                "atau --if-empty untuk melewatinya."
            )
            % {"count": Ormas.objects.count()}
        )
    taken = User.objects.filter(username__in=DEMO_USERNAMES).exclude(
        email__endswith="@" + DEMO_EMAIL_DOMAIN
    )
    if taken.exists():
        raise DemoRefused(
            _("Nama pengguna demo sudah dipakai akun lain: %(names)s. Data demo tidak dimuat.")
            % {"names": ", ".join(sorted(taken.values_list("username", flat=True)))}
        )
    report: Progress = progress or (lambda stage, done, total: None)
    regions_import(
        BUNDLED_CSV,
        prefixes=REGION_PREFIXES,
        progress=lambda done, total: report(_("wilayah"), done, total),
    )
    plan = plan_demo(
        seed=seed,
        today=timezone.localdate(),
        villages=demo_villages(),
        skt_years=settings.SIPKO_SKT_VALIDITY_YEARS,
        warning_days=settings.SIPKO_EXPIRY_WARNING_DAYS,
    )
    summary = DemoSummary()
    records = _write_ormas(plan, summary, report)
    users = _write_users(plan, records, summary)
    _write_assignments(plan, records, users, summary)
    _write_documents(plan, records, users, summary, report)
    return summary


def _write_ormas(plan: DemoPlan, summary: DemoSummary, report: Progress) -> dict[str, Ormas]:
    regions = Region.objects.in_bulk({item.fields["region_id"] for item in plan.ormas})
    bidang = Bidang.objects.in_bulk()
    by_key = plan.by_key()

    def depth(item: OrmasPlan) -> int:
        return 0 if item.parent_key is None else 1 + depth(by_key[item.parent_key])

    records: dict[str, Ormas] = {}
    ordered = sorted(plan.ormas, key=depth)  # parents before their branches; stable otherwise
    for done, item in enumerate(ordered, start=1):
        data = {k: v for k, v in item.fields.items() if k != "region_id"}
        data["region"] = regions[item.fields["region_id"]]
        data["parent"] = records[item.parent_key] if item.parent_key else None
        ormas = services.ormas_save(
            actor=None,
            data=data,
            bidang=[bidang[code] for code in item.bidang],
            reason="data demo (fiktif)",
        )
        for officer in item.officers:
            services.pengurus_save(
                actor=None,
                ormas=ormas,
                nik=officer.person.nik,
                data={
                    "name": officer.person.name,
                    "position": officer.position,
                    "term_start": officer.term_start,
                    "term_end": officer.term_end,
                    "phone": officer.person.phone,
                },
            )
        records[item.key] = ormas
        summary.ormas += 1
        summary.by_kabkota[item.kabkota] = summary.by_kabkota.get(item.kabkota, 0) + 1
        summary.pengurus += len(item.officers)
        report(_("ormas"), done, len(ordered))
    return records


def _write_users(
    plan: DemoPlan, records: dict[str, Ormas], summary: DemoSummary
) -> dict[str, User]:
    # One hash for all: they share a published password, and hashing each costs seconds.
    password = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for account in DEMO_ACCOUNTS:
        user = User(
            username=account.username,
            email=f"{account.username}@{DEMO_EMAIL_DOMAIN}",
            first_name=account.first_name,
            last_name=account.last_name,
            role=account.role,
            region_id=account.region,
            is_staff=account.superuser,
            is_superuser=account.superuser,
            password=password,
        )
        if account.operator_of is not None:
            user.ormas = records[plan.operator_keys[account.operator_of]]
        user.save()
        users[account.username] = user
    summary.users = len(users)
    return users


def _write_assignments(
    plan: DemoPlan, records: dict[str, Ormas], users: dict[str, User], summary: DemoSummary
) -> None:
    for key in plan.assessed_keys:
        services.assignment_create(
            actor=users["admin_kota"], assessor=users["penilai"], ormas=records[key]
        )
        summary.assignments += 1


def _write_documents(
    plan: DemoPlan,
    records: dict[str, Ormas],
    users: dict[str, User],
    summary: DemoSummary,
    report: Progress,
) -> None:
    admins = {KOTA_BLITAR: users["admin_kota"], KAB_BLITAR: users["admin_kab"]}
    operators = {
        plan.operator_keys[account.operator_of]: users[account.username]
        for account in DEMO_ACCOUNTS
        if account.operator_of is not None
    }
    assessed = set(plan.assessed_keys)
    with_documents = [item for item in plan.ormas if item.documents]
    for done, item in enumerate(with_documents, start=1):
        ormas = records[item.key]
        # The operator uploads its own files; elsewhere Kesbangpol digitised the paper archive.
        uploader = operators.get(item.key, admins[item.kabkota])
        verifier = users["penilai"] if item.key in assessed else admins[item.kabkota]
        for doc in item.documents:
            document = services.document_upload(
                actor=uploader,
                ormas=ormas,
                data={
                    "doc_type": doc.doc_type,
                    "number": doc.number,
                    "issued": doc.issued,
                    "expires": doc.expires,
                },
                upload=_demo_file(doc, item.name),
            )
            if doc.verdict != Verdict.PENDING:
                services.document_verify(
                    actor=verifier, document=document, verdict=doc.verdict, reason=doc.reason
                )
            summary.documents += 1
        report(_("dokumen"), done, len(with_documents))


def _demo_file(doc: DocumentPlan, ormas_name: str) -> SimpleUploadedFile:
    label = str(DocumentType(doc.doc_type).label)
    slug = slugify(label) or "dokumen"
    if doc.is_photo:
        return SimpleUploadedFile(f"{slug}.png", demo_png(ormas_name), content_type="image/png")
    lines = [
        "DOKUMEN FIKTIF - DATA DEMO SIPKO",
        "",
        label,
        ormas_name,
        f"Nomor: {doc.number or '-'}",
        f"Tanggal: {doc.issued.isoformat() if doc.issued else '-'}",
        "",
        "Berkas ini dibuat otomatis untuk demonstrasi; bukan dokumen resmi.",
    ]
    return SimpleUploadedFile(f"{slug}.pdf", demo_pdf(lines), content_type="application/pdf")


def demo_pdf(lines: Sequence[str]) -> bytes:
    """A one-page PDF (Helvetica, A4) with the given lines; small and valid for any viewer."""

    def text(line: str) -> bytes:
        raw = line.encode("latin-1", "replace")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    content = (
        b"BT /F1 13 Tf 56 800 Td 20 TL "
        + b" ".join(b"(" + text(line) + b") '" for line in lines)
        + b" ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def demo_png(caption: str) -> bytes:
    """A small picture of a signboard saying it is a fictional office photo."""
    palette = ((96, 139, 86), (156, 117, 82), (88, 120, 160), (170, 150, 90), (120, 120, 120))
    image = Image.new("RGB", (480, 320), palette[sum(map(ord, caption)) % len(palette)])
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 110, 450, 210), fill=(248, 246, 238), outline=(40, 40, 40), width=3)
    draw.text((48, 128), "FOTO FIKTIF - DATA DEMO SIPKO", fill=(20, 20, 20))
    draw.text((48, 160), caption.encode("ascii", "replace").decode()[:64], fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@transaction.atomic
def demo_reset() -> tuple[int, int]:
    """Delete every demo ormas (with officers, documents and files) and the demo accounts.

    Returns (ormas deleted, accounts deleted). Real records are never touched.
    """
    from sipko.assessment.demo import demo_reset as assessment_reset

    assessment_reset()  # assessments protect the demo accounts that assessed them
    demo = Ormas.objects.filter(is_demo=True)
    files = list(
        Document.objects.filter(ormas__in=demo).exclude(file="").values_list("file", flat=True)
    )
    accounts = (
        User.objects.filter(username__in=DEMO_USERNAMES, email__endswith="@" + DEMO_EMAIL_DOMAIN)
        .delete()[1]
        .get(User._meta.label, 0)
    )
    count = demo.count()
    # Branch and merge links between demo records would block the delete (merged_into PROTECTs).
    demo.update(parent=None, merged_into=None)
    demo.delete()
    transaction.on_commit(lambda: _delete_files(files))
    return count, accounts


def _delete_files(names: list[str]) -> None:
    storage = Document._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
