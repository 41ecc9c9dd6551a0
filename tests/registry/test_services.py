from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from sipko.lib import protected
from sipko.regions.models import Region
from sipko.registry import services
from sipko.registry.models import Assignment, Document, DuplicateDismissal, Ormas, Pengurus, Verdict
from tests.factories import DocumentFactory, PengurusFactory, UserFactory

NIK = "3572014507900001"


def _data(**extra: object) -> dict[str, object]:
    return {
        "name": "  Perkumpulan  Relawan Sumber Asri ",
        "acronym": "P.R.S.A.",
        "region": Region.objects.get(code="35.72.02.1001"),
        **extra,
    }


def test_create_sets_derived_keys_and_default_skt_expiry(region_admin) -> None:
    ormas = services.ormas_save(
        actor=region_admin,
        data=_data(
            skt_number="220/7/410/2023",
            skt_issued=dt.date(2023, 3, 1),
            ahu_number="ahu-0001234.ah.01.07.tahun 2019",
            npwp="01.234.567.8-653.000",
        ),
    )
    assert ormas.name == "Perkumpulan Relawan Sumber Asri"
    assert ormas.name_key == "relawan sumber asri"
    assert ormas.acronym_key == "prsa"
    assert ormas.skt_expires == dt.date(2028, 3, 1)
    assert ormas.ahu_number == "AHU-0001234.AH.01.07.Tahun 2019"
    assert ormas.npwp == "012345678653000"
    record = ormas.history.latest()
    assert record.history_user == region_admin and record.history_type == "+"


def test_skt_validity_years_is_configurable(region_admin, settings) -> None:
    settings.SIPKO_SKT_VALIDITY_YEARS = 3
    ormas = services.ormas_save(
        actor=region_admin, data=_data(skt_number="1/2", skt_issued=dt.date(2024, 1, 1))
    )
    assert ormas.skt_expires == dt.date(2027, 1, 1)


def test_roles_that_may_not_create(viewer, assessor, operator) -> None:
    for user in (viewer, assessor, operator):
        with pytest.raises(PermissionDenied):
            services.ormas_save(actor=user, data=_data())
    assert not Ormas.objects.filter(name__contains="Sumber Asri").exists()


def test_region_outside_scope_is_refused(region_admin) -> None:
    with pytest.raises(PermissionDenied):
        services.ormas_save(
            actor=region_admin, data=_data(region=Region.objects.get(code="35.05.01"))
        )
    assert not Ormas.objects.filter(name__contains="Sumber Asri").exists()


def test_operator_cannot_change_registration_facts(operator, ormas) -> None:
    services.ormas_save(
        actor=operator,
        ormas=ormas,
        data={"address": "Jl. Baru", "skt_number": "PALSU", "activity_status": "bubar"},
    )
    ormas.refresh_from_db()
    assert ormas.address == "Jl. Baru"
    assert ormas.skt_number == "" and ormas.activity_status == "aktif"


def test_operator_moves_only_within_kabkota(operator, ormas) -> None:
    services.ormas_save(
        actor=operator, ormas=ormas, data={"region": Region.objects.get(code="35.72.03.1001")}
    )
    with pytest.raises(ValidationError):
        services.ormas_save(
            actor=operator, ormas=ormas, data={"region": Region.objects.get(code="35.05.01")}
        )


def test_operator_cannot_edit_other_ormas(operator, other_ormas) -> None:
    with pytest.raises(PermissionDenied):
        services.ormas_save(actor=operator, ormas=other_ormas, data={"address": "x"})


def test_nik_is_never_stored_in_clear(operator, ormas) -> None:
    officer = services.pengurus_save(
        actor=operator, ormas=ormas, data={"name": "Ketua Fiktif", "position": "ketua"}, nik=NIK
    )
    assert officer.nik_masked == "3572••••••••0001"
    assert officer.nik_hash == protected.lookup_hash(NIK)
    with connection.cursor() as cursor:
        for table in ("registry_pengurus", "registry_historicalpengurus"):
            cursor.execute(f"SELECT * FROM {table}")
            assert NIK not in repr(cursor.fetchall())
    # None keeps the NIK, "" removes it
    services.pengurus_save(
        actor=operator, ormas=ormas, data={"name": "Ketua Baru"}, pengurus=officer
    )
    assert Pengurus.objects.get(pk=officer.pk).nik_hash == protected.lookup_hash(NIK)
    services.pengurus_save(actor=operator, ormas=ormas, data={}, nik="", pengurus=officer)
    assert Pengurus.objects.get(pk=officer.pk).nik_hash == ""


def test_pengurus_bad_input(operator, ormas) -> None:
    with pytest.raises(ValidationError):
        services.pengurus_save(
            actor=operator, ormas=ormas, data={"name": "X", "position": "ketua"}, nik="1234"
        )
    with pytest.raises(ValidationError):
        services.pengurus_save(
            actor=operator,
            ormas=ormas,
            data={
                "name": "X",
                "position": "ketua",
                "term_start": dt.date(2025, 1, 1),
                "term_end": dt.date(2024, 1, 1),
            },
        )
    assert not ormas.pengurus.exists()


def test_document_upload_checks_content_and_writes_nothing_on_refusal(operator, ormas) -> None:
    fake = SimpleUploadedFile("akta.pdf", b"<html>bukan pdf</html>")
    with pytest.raises(ValidationError) as info:
        services.document_upload(
            actor=operator, ormas=ormas, data={"doc_type": "ad_art"}, upload=fake
        )
    assert "file" in info.value.message_dict
    assert not Document.objects.exists()
    good = SimpleUploadedFile("akta.pdf", b"%PDF-1.4\n%%EOF")
    document = services.document_upload(
        actor=operator, ormas=ormas, data={"doc_type": "ad_art"}, upload=good
    )
    assert document.content_type == "application/pdf" and document.original_name == "akta.pdf"
    assert "akta" not in document.file.name  # stored under a random name


def test_verdict_needs_reason_and_rights(assessor, operator, ormas, other_ormas) -> None:
    document = DocumentFactory(ormas=ormas)
    with pytest.raises(ValidationError):
        services.document_verify(
            actor=assessor, document=document, verdict=Verdict.INVALID, reason=" "
        )
    with pytest.raises(PermissionDenied):
        services.document_verify(
            actor=operator, document=document, verdict=Verdict.VALID, reason=""
        )
    services.document_verify(
        actor=assessor, document=document, verdict=Verdict.INVALID, reason="Cap tidak terbaca"
    )
    document.refresh_from_db()
    assert document.verdict == Verdict.INVALID and document.verified_by == assessor
    # assessor is not assigned to other_ormas
    with pytest.raises(PermissionDenied):
        services.document_verify(
            actor=assessor,
            document=DocumentFactory(ormas=other_ormas),
            verdict=Verdict.VALID,
            reason="",
        )


def test_merge_moves_everything_and_keeps_the_duplicate_as_history(
    region_admin, ormas, other_ormas, other_operator
) -> None:
    PengurusFactory(ormas=other_ormas, nik=NIK)
    DocumentFactory(ormas=other_ormas)
    other_ormas.npwp = "012345678653000"
    other_ormas.save()
    services.ormas_merge(actor=region_admin, keep=ormas, duplicate=other_ormas, reason="Data ganda")
    ormas.refresh_from_db()
    other_ormas.refresh_from_db()
    assert other_ormas.merged_into == ormas
    assert ormas.npwp == "012345678653000"
    assert ormas.pengurus.count() == 1 and ormas.documents.count() == 1
    other_operator.refresh_from_db()
    assert other_operator.ormas == ormas
    assert "Data ganda" in other_ormas.history.latest().history_change_reason
    assert Ormas.objects.current().filter(pk=other_ormas.pk).count() == 0


def test_merge_refusals(region_admin, outside_admin, viewer, ormas, other_ormas) -> None:
    with pytest.raises(ValidationError):
        services.ormas_merge(actor=region_admin, keep=ormas, duplicate=other_ormas, reason="")
    with pytest.raises(ValidationError):
        services.ormas_merge(actor=region_admin, keep=ormas, duplicate=ormas, reason="x")
    with pytest.raises(PermissionDenied):
        services.ormas_merge(actor=outside_admin, keep=ormas, duplicate=other_ormas, reason="x")
    with pytest.raises(PermissionDenied):
        services.ormas_merge(actor=viewer, keep=ormas, duplicate=other_ormas, reason="x")
    assert Ormas.objects.current().count() == 2


def test_dismiss_is_stored_once(region_admin, ormas, other_ormas) -> None:
    services.duplicate_dismiss(
        actor=region_admin, first=other_ormas, second=ormas, reason="Beda organisasi"
    )
    services.duplicate_dismiss(actor=region_admin, first=ormas, second=other_ormas, reason="Lagi")
    assert DuplicateDismissal.objects.count() == 1


def test_assignment_conflict_of_interest(region_admin, ormas) -> None:
    member = UserFactory(
        username="penilai_anggota", role="assessor", region_id="35.72", ormas=ormas
    )
    with pytest.raises(ValidationError, match="konflik"):
        services.assignment_create(actor=region_admin, assessor=member, ormas=ormas)
    outsider = UserFactory(username="penilai_bebas", role="assessor", region_id="35.72")
    services.assignment_create(actor=region_admin, assessor=outsider, ormas=ormas)
    assert Assignment.objects.filter(assessor=outsider, ormas=ormas).exists()


def test_expired_document_cannot_be_valid(assessor, ormas) -> None:
    document = DocumentFactory(ormas=ormas, expires=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError, match="melewati masa berlakunya"):
        services.document_verify(
            actor=assessor, document=document, verdict=Verdict.VALID, reason=""
        )


def test_dismiss_needs_two_different_ormas(region_admin, ormas) -> None:
    with pytest.raises(ValidationError):
        services.duplicate_dismiss(actor=region_admin, first=ormas, second=ormas, reason="x")


def test_assessor_must_cover_the_ormas_region(region_admin, national_admin, outside_ormas) -> None:
    user = UserFactory(username="penilai_luar", role="assessor", region_id="35.72")
    assert services.assignment_problems(assessor=user, ormas=outside_ormas)
    with pytest.raises(ValidationError, match="di luar cakupan"):
        services.assignment_create(actor=national_admin, assessor=user, ormas=outside_ormas)
    # Kota Blitar's Kesbangpol may not assign anyone to a Kabupaten Malang ormas at all.
    with pytest.raises(PermissionDenied):
        services.assignment_create(actor=region_admin, assessor=user, ormas=outside_ormas)
