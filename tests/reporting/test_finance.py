"""Financial summaries: amounts as people type them, bad input refused without a write, read-only
for staff, frozen periods, and the per-period overview."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sipko.planning.models import PeriodState
from sipko.reporting.models import FinancialSummary
from tests.factories import PeriodFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def edit_url(ormas, period) -> str:
    return f"{reverse('reporting:finance_edit', args=[ormas.uuid])}?periode={period.pk}"


def detail_url(ormas, period) -> str:
    return f"{reverse('reporting:finance_detail', args=[ormas.uuid])}?periode={period.pk}"


GOOD = {
    "income_iuran": "Rp 1.500.000",
    "income_usaha": "250000",
    "income_hibah": "10.000.000,00",
    "income_donasi": "",
    "income_csr_lainnya": "2,000,000",
    "expenditure": "9.750.000",
    "reported": "on",
    "published": "on",
}


def test_operator_fills_in_the_summary_and_reads_it_back(operator, ormas, period) -> None:
    client = client_for(operator)
    page = client.get(edit_url(ormas, period)).content.decode()
    assert f'data-draft-key="u{operator.pk}:finance-{ormas.uuid}-{period.pk}"' in page
    assert 'inputmode="numeric"' in page
    response = client.post(edit_url(ormas, period), GOOD)
    assert response.status_code == 302 and response["Location"] == detail_url(ormas, period)
    summary = FinancialSummary.objects.get(ormas=ormas, period=period)
    assert (summary.income_iuran, summary.income_hibah, summary.income_csr_lainnya) == (
        1_500_000,
        10_000_000,
        2_000_000,
    )
    assert summary.income_donasi == 0 and summary.total_income == 13_750_000
    assert summary.reported and summary.published and not summary.audited
    assert summary.history.first().history_user == operator
    body = client.get(response["Location"]).content.decode()
    assert "Rp 13.750.000" in body and "Rp 4.000.000" in body  # total income, balance
    assert f'data-clear-draft="u{operator.pk}:finance-{ormas.uuid}-{period.pk}"' in body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"income_iuran": "-100"}, "lebih besar dari atau sama dengan 0"),
        ({"expenditure": "9" * 20}, "Jumlah ini terlalu besar"),
        ({"income_usaha": "dua juta"}, "Masukkan sebuah bilangan"),
        ({"income_usaha": "1.500,50"}, "Tulis rupiah tanpa sen"),
        (
            {"audited": "on", "reported": ""},
            "Ringkasan yang diaudit harus juga ditandai sudah dilaporkan",
        ),
    ],
)
def test_bad_amounts_are_refused_and_nothing_is_written(
    operator, ormas, period, changes, message
) -> None:
    response = client_for(operator).post(edit_url(ormas, period), {**GOOD, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FinancialSummary.objects.exists()


def test_staff_read_but_do_not_edit(
    viewer, assessor, region_admin, operator, ormas, period
) -> None:
    client_for(operator).post(edit_url(ormas, period), GOOD)
    for user in (viewer, assessor):
        client = client_for(user)
        page = client.get(detail_url(ormas, period))
        assert page.status_code == 200 and "Rp 13.750.000" in page.content.decode()
        assert not page.context["can_edit"]
        assert client.get(edit_url(ormas, period)).status_code == 403
        assert client.post(edit_url(ormas, period), {**GOOD, "expenditure": "1"}).status_code == 403
    assert FinancialSummary.objects.get().expenditure == 9_750_000
    assert client_for(region_admin).get(edit_url(ormas, period)).status_code == 200


def test_other_ormas_operator_gets_404(other_operator, ormas, period) -> None:
    client = client_for(other_operator)
    assert client.get(detail_url(ormas, period)).status_code == 404
    assert client.post(edit_url(ormas, period), GOOD).status_code == 404
    assert not FinancialSummary.objects.exists()


def test_closed_period_cannot_be_edited(operator, ormas, period) -> None:
    period.state = PeriodState.CLOSED
    period.save()
    response = client_for(operator).post(edit_url(ormas, period), GOOD, follow=True)
    assert "sudah ditutup" in response.content.decode()
    assert not FinancialSummary.objects.exists()


def test_tampered_period_falls_back_to_a_period_of_the_ormas(operator, ormas, period) -> None:
    malang = PeriodFactory(name="Periode Kabupaten Malang", region_id="35.07")
    client = client_for(operator)
    for value in ("abc", str(malang.pk), "999999", "-1", "9" * 30):
        url = f"{reverse('reporting:finance_edit', args=[ormas.uuid])}?periode={value}"
        assert client.get(url).context["period"] == period
    assert (
        client.post(
            f"{reverse('reporting:finance_edit', args=[ormas.uuid])}?periode={malang.pk}", GOOD
        ).status_code
        == 302
    )
    assert FinancialSummary.objects.get().period == period


def test_overview_counts_who_filled_in(region_admin, operator, ormas, other_ormas, period) -> None:
    client_for(operator).post(edit_url(ormas, period), GOOD)
    response = client_for(region_admin).get(reverse("reporting:finance_list"))
    body = response.content.decode()
    assert response.context["period"] == period
    assert "1 dari 2 ormas sudah mengisi" in body
    assert ormas.name in body and "Rp 13.750.000" in body
