"""`seed_demo` and `demo_logins`: the fictional Blitar Raya registry a new user first sees.

The demo is loaded once for the module inside a transaction that is rolled back at the end, so
other test modules still start from an empty registry. Each test runs in a savepoint on top.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from sipko.accounts.models import Role, User
from sipko.lib import protected
from sipko.lib.text import fold
from sipko.regions.models import Level, Region
from sipko.registry import demo, selectors
from sipko.registry.models import (
    ActivityStatus,
    Assignment,
    Document,
    LegalForm,
    Ormas,
    Pengurus,
    ScopeLevel,
    Validity,
    Verdict,
)
from sipko.registry.validators import AHU_RE, ahu_form_mismatch
from tests.factories import OrmasFactory

KOTA, KAB = "35.72", "35.05"


@pytest.fixture
def nasional(seeded: str) -> User:
    return User.objects.get(username="admin_nasional")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_158_fictional_ormas_over_kota_and_kabupaten_blitar(seeded: str) -> None:
    assert Ormas.objects.count() == 158
    assert not Ormas.objects.filter(is_demo=False).exists()
    by_kabkota = Counter(code[:5] for code in Ormas.objects.values_list("region_id", flat=True))
    assert by_kabkota == {KOTA: 60, KAB: 98}
    # Every ormas sits in a real kelurahan/desa, and every kecamatan of both holds at least one.
    assert not Ormas.objects.exclude(region__level=4).exists()
    kecamatan = {code[:8] for code in Ormas.objects.values_list("region_id", flat=True)}
    assert len(kecamatan) == 3 + 22
    assert "158 ormas (60 Kota Blitar, 98 Kabupaten Blitar)" in seeded


def test_validity_mix_holds_relative_to_today(nasional: User) -> None:
    counts = Counter(selectors.ormas_for(nasional).values_list("validity", flat=True))
    assert counts[Validity.AKAN_HABIS] == 10
    assert counts[Validity.KEDALUWARSA] == 25
    assert counts[Validity.TIDAK_TERDAFTAR] == 20
    assert counts[Validity.BERLAKU] == 158 - 10 - 25 - 20
    assert Ormas.objects.exclude(local_letter_number="").filter(skt_number="").count() == 10
    soon = selectors.expiring_registrations(nasional).filter(validity=Validity.AKAN_HABIS)
    today = timezone.localdate()
    assert all(0 <= (o.skt_expires - today).days <= 90 for o in soon)


def test_registrations_legal_forms_and_statuses_are_a_realistic_mix(seeded: str) -> None:
    forms = Counter(Ormas.objects.values_list("legal_form", flat=True))
    assert (
        forms[LegalForm.TIDAK_BERBADAN_HUKUM]
        > forms[LegalForm.PERKUMPULAN]
        > forms[LegalForm.YAYASAN]
        > 0
    )
    assert forms[LegalForm.ORMAS_ASING] == 0
    for ormas in Ormas.objects.exclude(ahu_number=""):
        assert AHU_RE.match(ormas.ahu_number), ormas.ahu_number
        assert ahu_form_mismatch(ormas.ahu_number, ormas.legal_form) is None
    skt = Ormas.objects.exclude(skt_number="").values_list("skt_number", flat=True)
    assert all(re.fullmatch(r"220 ?/ ?\d{3} ?/ ?\d{3}\.\d{3} ?/ ?\d{4}", number) for number in skt)
    statuses = Counter(Ormas.objects.values_list("activity_status", flat=True))
    assert statuses[ActivityStatus.AKTIF] > 100
    assert statuses[ActivityStatus.TIDAK_AKTIF] > 0 and statuses[ActivityStatus.TIDAK_DITEMUKAN] > 0
    assert statuses[ActivityStatus.DIBEKUKAN] in (1, 2) and statuses[ActivityStatus.BUBAR] == 1
    assert all(
        1 <= n <= 3 for n in Ormas.objects.annotate(n=Count("bidang")).values_list("n", flat=True)
    )
    assert all(
        len(n) in (15, 16) for n in Ormas.objects.exclude(npwp="").values_list("npwp", flat=True)
    )
    assert Ormas.objects.exclude(npwp="").exists()
    assert {True, False} <= set(Ormas.objects.values_list("has_bank_account", flat=True))
    emails = Ormas.objects.exclude(email="").values_list("email", flat=True)
    assert emails and all(e.endswith("@contoh.example") for e in emails)
    assert not Ormas.objects.filter(founding_year__gt=timezone.localdate().year).exists()


def test_branches_point_to_provincial_or_national_parents(seeded: str) -> None:
    branches = Ormas.objects.exclude(parent=None).select_related("parent")
    assert branches.count() >= 3
    top = {b.parent.scope_level for b in branches}
    assert {ScopeLevel.NASIONAL, ScopeLevel.PROVINSI} <= top
    assert all(b.parent.is_demo for b in branches)


def test_names_are_invented_never_real_national_organisations(seeded: str) -> None:
    for name, acronym in Ormas.objects.values_list("name", "acronym"):
        assert not set(fold(name).split()) & demo.BLOCKED_WORDS, name
        assert acronym.upper() not in demo.BLOCKED_ACRONYMS, acronym
    assert "Nahdlatul" not in " ".join(Ormas.objects.values_list("name", flat=True))


def test_officers_have_valid_fictional_niks_phones_and_some_ended_terms(nasional: User) -> None:
    counts = Ormas.objects.annotate(n=Count("pengurus")).values_list("n", flat=True)
    assert all(3 <= n <= 5 for n in counts)
    blitar_kecamatan = {
        region.code.replace(".", "")
        for region in Region.objects.filter(level=Level.KECAMATAN)
        if region.code[:5] in (KOTA, KAB)
    }
    assert len(blitar_kecamatan) == 25
    for officer in Pengurus.objects.all():
        nik = protected.decrypt(officer.nik_encrypted)
        assert nik and protected.is_valid_nik(nik), officer
        assert nik[:6] in blitar_kecamatan  # NIKs are issued where the person lives
        assert officer.phone == "" or re.fullmatch(r"\+628\d{9,11}", officer.phone)
    assert selectors.ended_terms(nasional).exists()
    assert Pengurus.objects.filter(term_end__gte=timezone.localdate()).exists()


def test_someone_chairs_two_ormas(nasional: User) -> None:
    assert len(selectors.multi_chair_hashes(nasional)) >= 2


def test_duplicate_detector_finds_the_planted_pairs(nasional: User) -> None:
    pairs = selectors.duplicate_candidates(nasional)
    assert len(pairs) >= 4
    reasons = {reason for pair in pairs for reason in pair.reasons}
    assert reasons >= {
        _("nama sama di kabupaten/kota yang sama"),
        _("singkatan sama di kabupaten/kota yang sama"),
        _("nomor SK/SKT sama"),
        _("pengurus dengan NIK yang sama"),
    }
    names = {frozenset((p.first.name, p.second.name)) for p in pairs}
    assert frozenset(("Paguyuban Seni Tirta Wening", "PAGUYUBAN SENI TIRTA-WENING")) in names
    assert all(p.first.kabkota_code == p.second.kabkota_code for p in pairs)


def test_documents_are_real_small_files_with_mixed_verdicts(seeded: str) -> None:
    documents = Document.objects.select_related("ormas")
    assert documents.values("ormas").distinct().count() == demo.DOCUMENT_ORMAS
    verdicts = Counter(documents.values_list("verdict", flat=True))
    assert verdicts[Verdict.PENDING] and verdicts[Verdict.VALID] and verdicts[Verdict.INVALID]
    assert not documents.filter(verdict=Verdict.INVALID, verdict_reason="").exists()
    assert not documents.exclude(verdict=Verdict.PENDING).filter(verified_by=None).exists()
    for document in documents:
        with document.file.open("rb") as handle:
            data = handle.read()
        if document.content_type == "application/pdf":
            assert_valid_pdf(data)
        else:
            assert document.content_type == "image/png"
            Image.open(io.BytesIO(data)).verify()
    # Written through the services: every row has its history.
    assert Ormas.history.filter(history_type="+").count() == 158
    assert Document.history.count() > documents.count()


def assert_valid_pdf(data: bytes) -> None:
    """Header, trailer and an xref table whose offsets point at the objects it lists."""
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    xref_at = int(data.rsplit(b"startxref", 1)[1].split()[0])
    table = data[xref_at:].split(b"trailer")[0].split(b"\n")
    assert table[0] == b"xref"
    entries = [line for line in table[2:] if line.strip()]
    for number, entry in enumerate(entries[1:], start=1):
        offset = int(entry.split()[0])
        assert data[offset:].startswith(b"%d 0 obj" % number)


def test_demo_users_per_role_with_their_scope(seeded: str) -> None:
    users = {u.username: u for u in demo.demo_users()}
    assert set(users) == set(demo.DEMO_USERNAMES)
    expected = {
        "admin_kota": (Role.REGION_ADMIN, KOTA),
        "admin_kab": (Role.REGION_ADMIN, KAB),
        "admin_jatim": (Role.REGION_ADMIN, "35"),
        "penilai": (Role.ASSESSOR, KOTA),
        "pemantau": (Role.VIEWER, KOTA),
        "admin_nasional": (Role.NATIONAL_ADMIN, None),
    }
    for username, (role, region) in expected.items():
        assert (users[username].role, users[username].region_id) == (role, region), username
    assert users["admin_nasional"].is_superuser and users["admin_nasional"].is_staff
    assert not any(u.is_staff for name, u in users.items() if name != "admin_nasional")
    assert all(u.check_password(demo.DEMO_PASSWORD) for u in users.values())
    assert all(u.first_name and u.last_name for u in users.values())

    operator, operator2 = users["operator"], users["operator2"]
    assert operator.role == operator2.role == Role.OPERATOR
    assert operator.ormas != operator2.ormas
    assert operator.ormas.kabkota_code == KOTA and operator.ormas.is_demo
    assert operator.ormas.documents.exists() and operator.ormas.pengurus.exists()
    assert operator.ormas.activity_status == operator2.ormas.activity_status == ActivityStatus.AKTIF
    # The second operator sees the expiry warning on its own SKT.
    validity = selectors.ormas_for(users["admin_nasional"]).get(pk=operator2.ormas_id).validity
    assert validity == Validity.AKAN_HABIS

    # Kabupaten Blitar has its own operator, of an active ormas with a valid SKT.
    operator_kab = users["operator_kab"]
    assert operator_kab.role == Role.OPERATOR and operator_kab.ormas.kabkota_code == KAB
    assert operator_kab.ormas.activity_status == ActivityStatus.AKTIF
    kab_validity = selectors.ormas_for(users["admin_nasional"]).get(pk=operator_kab.ormas_id)
    assert kab_validity.validity == Validity.BERLAKU

    assigned = Assignment.objects.filter(assessor=users["penilai"]).select_related("ormas")
    assert assigned.count() == demo.ASSESSED_ORMAS
    assert all(a.ormas.kabkota_code == KOTA for a in assigned)
    assert assigned.filter(ormas=operator.ormas).exists()


def test_if_empty_on_a_seeded_database_changes_nothing(seeded: str) -> None:
    before = (Ormas.objects.count(), Pengurus.objects.count(), User.objects.count())
    out = run("seed_demo", "--if-empty")
    assert "tidak dimuat" in out
    assert (Ormas.objects.count(), Pengurus.objects.count(), User.objects.count()) == before


def test_a_second_run_without_flags_is_refused(seeded: str) -> None:
    with pytest.raises(CommandError) as refused:
        run("seed_demo")
    assert refused.value.returncode == 1
    assert "--reset" in str(refused.value)
    assert Ormas.objects.count() == 158


def test_reset_refuses_to_mix_the_demo_with_real_records(seeded: str) -> None:
    OrmasFactory(name="Perkumpulan Nyata Uji")  # is_demo=False: a real record
    with pytest.raises(CommandError) as refused:
        run("seed_demo", "--reset")
    assert "nyata" in str(refused.value)
    # The refusal rolled back the reset too: the demo is still there.
    assert Ormas.objects.filter(is_demo=True).count() == 158
    assert len(demo.demo_users()) == len(demo.DEMO_ACCOUNTS)


def test_reset_removes_demo_records_and_accounts_only(seeded: str) -> None:
    real_user = User.objects.create(username="operator_nyata", role=Role.VIEWER, region_id=KOTA)
    real = OrmasFactory(name="Perkumpulan Nyata Uji")
    assert demo.demo_reset() == (158, len(demo.DEMO_ACCOUNTS))
    assert list(Ormas.objects.all()) == [real]
    assert User.objects.filter(pk=real_user.pk).exists()
    assert demo.demo_users() == []
    assert "Belum ada akun demo" in run("demo_logins")


def test_same_seed_same_names_other_seed_other_names(seeded: str) -> None:
    villages = demo.demo_villages()
    today = timezone.localdate()

    def names(seed: int, on: dt.date = today) -> list[str]:
        return [item.name for item in demo.plan_demo(seed=seed, today=on, villages=villages).ormas]

    default = names(demo.DEFAULT_SEED)
    assert sorted(default) == sorted(Ormas.objects.values_list("name", flat=True))
    assert names(demo.DEFAULT_SEED) == default
    assert names(demo.DEFAULT_SEED, today + dt.timedelta(days=400)) == default  # any day
    assert names(demo.DEFAULT_SEED + 1) != default


def test_demo_logins_lists_every_account(seeded: str) -> None:
    out = run("demo_logins")
    for username in demo.DEMO_USERNAMES:
        assert username in out
    assert demo.DEMO_PASSWORD in out and "fiktif" in out
    operator = User.objects.get(username="operator")
    assert f"{operator.ormas.name} (35.72 Kota Blitar)" in out
    operator_kab = User.objects.get(username="operator_kab")
    assert f"{operator_kab.ormas.name} (35.05 Kabupaten Blitar)" in out
    assert "Kota Blitar" in out and "Seluruh Indonesia" in out


# The two tests below want a database without the demo; when the module's demo is loaded
# already, they remove it first (inside their own rolled-back transaction).


def test_demo_logins_ignores_real_accounts_with_a_demo_name(db: None) -> None:
    demo.demo_reset()
    User.objects.create(username="operator", email="sekretariat@ormas-nyata.id")
    assert "Belum ada akun demo" in run("demo_logins")


def test_seed_refuses_when_a_real_account_holds_a_demo_username(db: None, tmp_path: Path) -> None:
    demo.demo_reset()
    User.objects.create(username="penilai", email="penilai@kesbangpol.example")
    with override_settings(MEDIA_ROOT=tmp_path), pytest.raises(CommandError) as refused:
        run("seed_demo")
    assert "penilai" in str(refused.value)
    assert not Ormas.objects.exists()
