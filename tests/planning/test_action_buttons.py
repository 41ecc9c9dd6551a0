"""Planning pages never offer what the services will refuse: no "Ajukan" while the period is
not open, no programme form without a period to put it in, no review in a closed period; and a
period's name stands alone in the messages ("Periode Periode 2026" was the old wording)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sipko.planning import services
from sipko.planning.models import Period, PeriodState, ProgrammeState
from tests.factories import IndicatorFactory, PeriodFactory, ProgrammeFactory

NO_PERIOD = "Belum ada periode yang dibuka untuk pengajuan program kerja di wilayah ormas ini."


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def draft(ormas, period):
    programme = ProgrammeFactory(ormas=ormas, period=period, state=ProgrammeState.DRAFT)
    IndicatorFactory(programme=programme)
    return programme


def test_no_submit_button_while_the_period_is_not_open(draft, operator) -> None:
    submit = reverse("planning:programme_submit", args=[draft.uuid])
    detail = reverse("planning:programme_detail", args=[draft.uuid])
    assert f'action="{submit}"' in client_for(operator).get(detail).text

    Period.objects.filter(pk=draft.period_id).update(state=PeriodState.DRAFT)
    page = client_for(operator).get(detail).text

    assert f'action="{submit}"' not in page
    assert 'data-testid="submit-refusal"' in page
    assert "Pengajuan program untuk “Periode Penilaian 2025 (uji)” tidak sedang dibuka" in page
    assert "(status periode: Rancangan)" in page


def test_no_submit_button_without_an_indicator(draft, operator) -> None:
    draft.indicators.all().delete()
    page = client_for(operator).get(reverse("planning:programme_detail", args=[draft.uuid])).text

    assert reverse("planning:programme_submit", args=[draft.uuid]) not in page
    assert "Tambahkan paling sedikit satu indikator" in page


@pytest.mark.parametrize("state", [PeriodState.ASSESSMENT, PeriodState.CLOSED])
def test_no_programme_form_without_a_period_to_put_it_in(
    state, ormas, operator, region_admin
) -> None:
    PeriodFactory(state=state)  # the only period of Kota Blitar is past its programme stage
    create = reverse("planning:programme_create", args=[ormas.uuid])

    listing = client_for(operator).get(reverse("planning:programme_list")).text
    form_page = client_for(operator).get(create).text
    ormas_page = client_for(region_admin).get(reverse("registry:detail", args=[ormas.uuid])).text

    for page in (listing, form_page, ormas_page):
        assert NO_PERIOD in page
        assert f'href="{create}"' not in page
    assert 'data-testid="programme-form"' not in form_page


def test_programme_form_is_offered_with_a_period_being_prepared(ormas, operator) -> None:
    PeriodFactory(state=PeriodState.DRAFT)
    create = reverse("planning:programme_create", args=[ormas.uuid])

    assert f'href="{create}"' in client_for(operator).get(reverse("planning:programme_list")).text
    assert 'data-testid="programme-form"' in client_for(operator).get(create).text


def test_no_review_in_a_closed_period(draft, region_admin) -> None:
    draft.state = ProgrammeState.SUBMITTED
    draft.save()
    detail = reverse("planning:programme_detail", args=[draft.uuid])
    review = reverse("planning:programme_review", args=[draft.uuid])
    assert review in client_for(region_admin).get(detail).text

    Period.objects.filter(pk=draft.period_id).update(state=PeriodState.CLOSED)

    assert review not in client_for(region_admin).get(detail).text


# --- wording -----------------------------------------------------------------------------------


def test_a_period_name_is_never_preceded_by_periode_again(draft, operator, region_admin) -> None:
    period = draft.period
    period.name = "Periode 2026"
    period.state = PeriodState.CLOSED
    period.save()

    with pytest.raises(ValidationError) as closed:
        services.ensure_not_frozen(period)
    assert closed.value.messages == [
        "“Periode 2026” sudah ditutup; datanya tidak dapat diubah lagi."
    ]

    period.state = PeriodState.DRAFT
    period.save()
    admin = client_for(region_admin)
    pages = [
        client_for(operator).get(reverse("planning:programme_detail", args=[draft.uuid])).text,
        admin.get(reverse("planning:period_move", args=[period.pk, "open"])).text,
        admin.post(reverse("planning:period_move", args=[period.pk, "close"]), follow=True).text,
    ]
    for page in pages:
        assert "Periode 2026" in page
        assert "Periode Periode" not in page and "periode Periode" not in page
    assert "“Periode 2026” kini berstatus Rancangan." in pages[1]
    assert "Tutup periode tidak dapat dilakukan: “Periode 2026” berstatus Rancangan." in pages[2]
