"""Bulk work on a period goes through a confirmation page: GET lists exactly what would change,
POST does exactly that (and nothing when the list changed in between); with nothing to do, or
with the period refusing, the page says so and offers no button."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sipko.assessment import selectors, services
from sipko.assessment.models import Assessment
from sipko.assessment.models import AssessmentState as S
from sipko.planning.models import Period
from tests.assessment.factories import Flow, fill_small
from tests.factories import OrmasFactory

JAKARTA = ZoneInfo("Asia/Jakarta")
CONFIRM = 'data-testid="bulk-confirm"'


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bulk_url(period: Period, action: str) -> str:
    return reverse("assessment:period_bulk", args=[period.pk, action])


def listed(page: str) -> str:
    """The table of items on the confirmation page."""
    match = re.search(r'data-testid="bulk-items">(.*?)</table>', page, re.S)
    assert match, "no list of items on the page"
    return match.group(1)


def fingerprint(page: str) -> str:
    match = re.search(r'name="daftar" value="([^"]*)"', page)
    assert match, "no confirmation form"
    return match.group(1)


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=JAKARTA)


# --- opening ---------------------------------------------------------------------------------


@pytest.fixture
def ready(small, assessing_period, region_admin, ormas, other_ormas, outside_ormas) -> Period:
    """The period has its instrument; `ormas` and `other_ormas` are active in Kota Blitar."""
    services.period_standard_set(actor=region_admin, period=assessing_period, instrument=small)
    return assessing_period


def test_opening_lists_exactly_the_ormas_that_get_an_assessment(
    ready, region_admin, ormas, other_ormas, outside_ormas
) -> None:
    dormant = OrmasFactory(name="Paguyuban Tidur (fiktif)", activity_status="tidak_aktif")
    merged = OrmasFactory(name="Paguyuban Lebur (fiktif)", merged_into=ormas)
    client = client_for(region_admin)

    page = client.get(bulk_url(ready, "buka")).content.decode()

    items = listed(page)
    assert ormas.name in items and other_ormas.name in items
    for absent in (dormant, merged, outside_ormas):
        assert absent.name not in items
    assert "Penilaian akan dibuka untuk 2 ormas aktif" in page
    assert CONFIRM in page
    assert not Assessment.objects.exists()  # GET changes nothing

    response = client.post(bulk_url(ready, "buka"), {"daftar": fingerprint(page)})

    assert response.status_code == 302
    assert {a.ormas for a in ready.assessments.all()} == {ormas, other_ormas}


def test_with_nothing_to_open_the_page_says_so_and_offers_no_button(ready, region_admin) -> None:
    services.assessments_open_all(actor=region_admin, period=ready)
    client = client_for(region_admin)

    page = client.get(bulk_url(ready, "buka")).content.decode()

    assert "Tidak ada penilaian yang perlu dibuka" in page
    assert CONFIRM not in page
    # A POST anyway (an old tab) does nothing and says why.
    count = Assessment.objects.count()
    response = client.post(bulk_url(ready, "buka"), {"daftar": ""}, follow=True)
    assert "Tidak ada yang perlu diubah" in response.content.decode()
    assert Assessment.objects.count() == count


def test_a_period_without_instrument_refuses_and_offers_no_button(
    assessing_period, region_admin, ormas
) -> None:
    page = client_for(region_admin).get(bulk_url(assessing_period, "buka")).content.decode()

    assert "Periode ini belum memiliki instrumen penilaian." in page
    assert ormas.name in listed(page)  # what would be opened, once it can be
    assert CONFIRM not in page


# --- publishing --------------------------------------------------------------------------------


@pytest.fixture
def two(verified_small, other_ormas, other_operator, assessor, region_admin) -> tuple[Flow, Flow]:
    """`ormas` verified (65,63, C); `other_ormas` submitted, still being verified."""
    period = verified_small.assessment.period
    other = Flow(
        assessment=services.assessment_open(actor=other_operator, ormas=other_ormas, period=period),
        operator=other_operator,
        admin=region_admin,
        assessor=assessor,
    )
    fill_small(other, bd="30")
    other.submit()
    return verified_small, other


def test_publishing_lists_the_verified_results_with_index_and_predicate(
    two, region_admin, ormas, other_ormas
) -> None:
    first, other = two
    period = first.assessment.period
    client = client_for(region_admin)

    page = client.get(bulk_url(period, "umumkan")).content.decode()

    items = listed(page)
    assert ormas.name in items and other_ormas.name not in items
    assert "65,63" in items and "Cukup" in items
    assert "1 hasil terverifikasi berikut akan diumumkan" in page
    # Publication cannot be undone, and the page says so plainly.
    assert "bersifat final dan tidak dapat dibatalkan" in page
    assert "Masa keberatan dimulai hari ini" in page
    assert first.fresh().state == S.VERIFIED

    client.post(bulk_url(period, "umumkan"), {"daftar": fingerprint(page)})

    assert first.fresh().state == S.PUBLISHED
    assert other.fresh().state == S.SUBMITTED


def test_publishing_refuses_a_list_that_changed_since_it_was_shown(two, region_admin) -> None:
    first, other = two
    period = first.assessment.period
    client = client_for(region_admin)
    shown = fingerprint(client.get(bulk_url(period, "umumkan")).content.decode())
    other.assign()
    other.verify_all({"AS": "3"})
    other.complete()  # a second result became publishable meanwhile

    response = client.post(bulk_url(period, "umumkan"), {"daftar": shown}, follow=True)

    assert "Daftar berubah" in response.content.decode()
    assert (first.fresh().state, other.fresh().state) == (S.VERIFIED, S.VERIFIED)


def test_the_publish_page_and_service_act_on_the_same_selector(two, region_admin) -> None:
    first, _other = two
    period = first.assessment.period
    shown = selectors.assessments_to_publish(region_admin, period)

    assert services.assessments_publish_all(actor=region_admin, period=period) == len(shown) == 1


def test_publishing_in_an_open_period_is_refused_on_the_page(verified_small, region_admin) -> None:
    period = verified_small.assessment.period
    Period.objects.filter(pk=period.pk).update(state="open")

    page = client_for(region_admin).get(bulk_url(period, "umumkan")).content.decode()

    assert "Hasil hanya dapat diumumkan saat periode berstatus Penilaian" in page
    assert CONFIRM not in page


# --- finalising --------------------------------------------------------------------------------


def test_finalising_waits_for_the_appeal_window(published_small, region_admin, ormas) -> None:
    assessment = published_small.fresh()
    period = assessment.period
    client = client_for(region_admin)

    page = client.get(bulk_url(period, "finalkan")).content.decode()
    assert "Tidak ada hasil yang masa keberatannya sudah lewat" in page
    assert CONFIRM not in page

    with time_machine.travel(noon(assessment.appeal_until + dt.timedelta(days=1)), tick=False):
        client = client_for(region_admin)  # a new day, a new session
        page = client.get(bulk_url(period, "finalkan")).content.decode()
        assert ormas.name in listed(page)
        assert "1 hasil berikut sudah lewat masa keberatannya" in page
        client.post(bulk_url(period, "finalkan"), {"daftar": fingerprint(page)})

    assert published_small.fresh().state == S.FINAL


# --- the list page -----------------------------------------------------------------------------


def test_the_list_page_links_to_the_confirmation_pages(ready, region_admin, viewer) -> None:
    page = client_for(region_admin).get(reverse("assessment:list")).content.decode()

    for action in ("buka", "umumkan", "finalkan"):
        assert f'href="{bulk_url(ready, action)}"' in page
        assert f'action="{bulk_url(ready, action)}"' not in page
    assert bulk_url(ready, "buka") not in client_for(viewer).get(reverse("assessment:list")).text


def test_an_unknown_bulk_action_is_not_found(ready, region_admin) -> None:
    assert client_for(region_admin).get(bulk_url(ready, "hapus")).status_code == 404


def test_a_bulk_service_refuses_a_list_that_changed_since_it_was_confirmed(small_flow):
    """The page's list is checked again under the period's lock: an ormas registered between
    the confirmation and the work is not opened unseen."""
    period = small_flow.assessment.period
    seen = {o.pk for o in selectors.ormas_to_open(period)}
    OrmasFactory(name="Paguyuban Baru Saja Terdaftar (fiktif)")
    with pytest.raises(ValidationError, match="Daftar berubah"):
        services.assessments_open_all(actor=small_flow.admin, period=period, confirmed=seen)
    assert not period.assessments.exclude(pk=small_flow.assessment.pk).exists()
