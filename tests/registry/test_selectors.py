from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from sipko.registry import selectors
from sipko.registry.models import DuplicateDismissal, Validity
from sipko.registry.selectors import RegistryFilters
from tests.factories import OrmasFactory, PengurusFactory

TODAY = dt.date(2025, 7, 29)


def _validity(user, ormas) -> str:
    return selectors.ormas_for(user).get(pk=ormas.pk).validity


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"ahu_number": "AHU-1.AH.01.07.Tahun 2010"}, Validity.BERLAKU),
        (
            {
                "ahu_number": "AHU-1.AH.01.07.Tahun 2010",
                "skt_number": "1",
                "skt_expires": dt.date(2020, 1, 1),
            },
            Validity.BERLAKU,
        ),
        ({"skt_number": "1", "skt_expires": TODAY + dt.timedelta(days=91)}, Validity.BERLAKU),
        ({"skt_number": "1", "skt_expires": TODAY + dt.timedelta(days=90)}, Validity.AKAN_HABIS),
        ({"skt_number": "1", "skt_expires": TODAY}, Validity.AKAN_HABIS),
        ({"skt_number": "1", "skt_expires": TODAY - dt.timedelta(days=1)}, Validity.KEDALUWARSA),
        ({"skt_number": "1"}, Validity.TIDAK_DIKETAHUI),
        ({"local_letter_number": "SKL/1"}, Validity.BERLAKU),
        ({}, Validity.TIDAK_TERDAFTAR),
    ],
)
def test_validity_on_boundaries(region_admin, fields, expected) -> None:
    ormas = OrmasFactory(**fields)
    with time_machine.travel(dt.datetime(2025, 7, 29, 12, tzinfo=dt.UTC), tick=False):
        assert _validity(region_admin, ormas) == expected


def test_warning_window_is_configurable(region_admin, settings) -> None:
    settings.SIPKO_EXPIRY_WARNING_DAYS = 30
    ormas = OrmasFactory(skt_number="1", skt_expires=TODAY + dt.timedelta(days=60))
    with time_machine.travel(dt.datetime(2025, 7, 29, 12, tzinfo=dt.UTC), tick=False):
        assert _validity(region_admin, ormas) == Validity.BERLAKU


def test_search_and_filters(region_admin) -> None:
    a = OrmasFactory(
        name="Paguyuban Tirta Wening",
        acronym="PTW",
        skt_number="220/99/410/2024",
        skt_expires=dt.date.today() + dt.timedelta(days=900),
        activity_status="aktif",
        region_id="35.72.03.1001",
    )
    b = OrmasFactory(
        name="Yayasan Cahaya Pagi", legal_form="yayasan", activity_status="tidak_aktif"
    )
    b.bidang.add("pendidikan")

    def names(**filters: str) -> set[str]:
        return {o.name for o in selectors.ormas_search(region_admin, RegistryFilters(**filters))}

    assert names(q="tirta") == {a.name}
    assert names(q="ptw") == {a.name}
    assert names(q="220/99") == {a.name}
    assert names(q="TIRTA-WENING") == {a.name}
    assert names(legal_form="yayasan") == {b.name}
    assert names(activity_status="tidak_aktif") == {b.name}
    assert names(bidang="pendidikan") == {b.name}
    assert names(kecamatan="35.72.03") == {a.name}
    assert names(registration="none") == {b.name}
    assert names(registration="skt", validity="berlaku") == {a.name}
    assert [
        o.name for o in selectors.ormas_search(region_admin, RegistryFilters(sort="-name"))
    ] == [b.name, a.name]


def test_scope_limits_everything(outside_admin, region_admin, ormas, outside_ormas) -> None:
    assert list(selectors.ormas_for(outside_admin)) == [outside_ormas]
    assert ormas in selectors.ormas_for(region_admin)
    assert outside_ormas not in selectors.ormas_for(region_admin)
    assert selectors.kecamatan_choices(region_admin) == [("35.72.01", "Kepanjenkidul")]


def test_duplicate_candidates_signals_and_dismissal(region_admin) -> None:
    first = OrmasFactory(
        name="Paguyuban Seni Tirta Wening", acronym="PSTW", region_id="35.72.01.1001"
    )
    twin = OrmasFactory(name="PAGUYUBAN SENI TIRTA-WENING", acronym="", region_id="35.72.02.1001")
    same_number_a = OrmasFactory(name="Perkumpulan Alfa", acronym="", skt_number="220/5/410/2020")
    same_number_b = OrmasFactory(
        name="Perkumpulan Beta", acronym="", skt_number="220 / 5 / 410 / 2020"
    )
    shared_a = OrmasFactory(name="Lembaga Gamma", acronym="")
    shared_b = OrmasFactory(name="Lembaga Delta", acronym="")
    PengurusFactory(ormas=shared_a, nik="3572014507900001")
    PengurusFactory(ormas=shared_b, nik="3572014507900001", position="bendahara")
    # Same name in another kab/kota is not a duplicate.
    OrmasFactory(name="Paguyuban Seni Tirta Wening", acronym="", region_id="35.05.01.2001")

    pairs = {
        frozenset((p.first.pk, p.second.pk)): p.reasons
        for p in selectors.duplicate_candidates(region_admin)
    }
    assert frozenset((first.pk, twin.pk)) in pairs
    assert frozenset((same_number_a.pk, same_number_b.pk)) in pairs
    assert frozenset((shared_a.pk, shared_b.pk)) in pairs
    assert len(pairs) == 3
    DuplicateDismissal.objects.create(first=first, second=twin, reason="beda")
    assert len(selectors.duplicate_candidates(region_admin)) == 2


def test_multi_chair_and_ended_terms(region_admin, ormas, other_ormas) -> None:
    nik = "3572010101800002"
    chair = PengurusFactory(ormas=ormas, nik=nik, term_end=dt.date(2020, 1, 1))
    PengurusFactory(ormas=other_ormas, nik=nik)
    assert selectors.multi_chair_hashes(region_admin) == {chair.nik_hash}
    flags = selectors.officer_flags(region_admin, ormas)[chair.pk]
    assert len(flags) == 2
    assert list(selectors.ended_terms(region_admin)) == [chair]
    assert selectors.ormas_for(region_admin).get(pk=ormas.pk).board_current is False
    assert selectors.ormas_for(region_admin).get(pk=other_ormas.pk).board_current is True


def test_expiring_list_puts_soonest_expiry_first_then_latest_expired(region_admin) -> None:
    today = dt.date.today()
    old = OrmasFactory(name="Lama", skt_number="1", skt_expires=today - dt.timedelta(days=900))
    recent = OrmasFactory(
        name="Baru lewat", skt_number="2", skt_expires=today - dt.timedelta(days=3)
    )
    later = OrmasFactory(name="Nanti", skt_number="3", skt_expires=today + dt.timedelta(days=80))
    soon = OrmasFactory(name="Segera", skt_number="4", skt_expires=today + dt.timedelta(days=5))
    assert list(selectors.expiring_registrations(region_admin)) == [soon, later, recent, old]


def test_sorting_by_expiry_puts_ormas_without_skt_last(region_admin) -> None:
    without = OrmasFactory(name="Tanpa SKT")
    with_skt = OrmasFactory(name="Dengan SKT", skt_number="1", skt_expires=dt.date(2030, 1, 1))
    for sort in ("skt_expires", "-skt_expires"):
        found = list(selectors.ormas_search(region_admin, RegistryFilters(sort=sort)))
        assert found == [with_skt, without]
