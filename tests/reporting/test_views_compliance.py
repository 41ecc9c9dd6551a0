"""The compliance page: per kecamatan, per ormas and the overdue list, within the viewer's region.

Seen on 1 February 2026: both semesters of the 2025 `period` are past due (15 July 2025 and
15 January 2026).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.factories import PeriodFactory, ProgrammeFactory, ReportFactory

ON = dt.datetime(2026, 2, 1, 3, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(ON, tick=False):
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(programme, other_ormas, outside_ormas, period):
    submitted = dt.datetime(2025, 7, 10, 3, tzinfo=dt.UTC)
    ReportFactory(
        programme=programme, state="submitted", first_submitted_at=submitted, submitted_at=submitted
    )
    ProgrammeFactory(ormas=other_ormas, period=period, title="Program Tetangga Diam")
    malang = PeriodFactory(name="Periode Malang 2025", region_id="35.07")
    ProgrammeFactory(ormas=outside_ormas, period=malang, title="Program Lereng")
    return {"malang": malang}


def test_region_admin_sees_rates_and_overdue_in_its_region(
    region_admin, world, ormas, other_ormas, outside_ormas, period
) -> None:
    response = client_for(region_admin).get(reverse("reporting:compliance"))
    body = response.content.decode()
    assert response.status_code == 200 and response.context["period"] == period
    rows = {row.ormas: (row.due, row.on_time, row.missing) for row in response.context["rows"]}
    assert rows == {ormas: (2, 1, 1), other_ormas: (2, 0, 2)}
    assert response.context["areas"].total.due == 4
    overdue = response.context["overdue"]
    assert {o.ormas for o in overdue} == {ormas, other_ormas}
    assert max(o.days_overdue for o in overdue) == (dt.date(2026, 2, 1) - dt.date(2025, 7, 15)).days
    assert "Program Tetangga Diam" in body and outside_ormas.name not in body
    assert "Semester 2 2025" in body and "25%" in body  # 1 of 4 on time


def test_outside_admin_cannot_pick_another_regions_period(outside_admin, world, period) -> None:
    response = client_for(outside_admin).get(
        reverse("reporting:compliance"), {"periode": period.pk}
    )
    assert response.status_code == 200
    assert response.context["period"] == world["malang"]
    assert [row.ormas.name for row in response.context["rows"]] == [
        "Perkumpulan Lereng Kawi (fiktif)"
    ]


def test_viewer_and_assessor_read_operator_does_not(viewer, assessor, operator, world) -> None:
    assert client_for(viewer).get(reverse("reporting:compliance")).status_code == 200
    assert client_for(assessor).get(reverse("reporting:compliance")).status_code == 200
    assert client_for(operator).get(reverse("reporting:compliance")).status_code == 403
    assert Client().get(reverse("reporting:compliance")).status_code == 302


def test_bad_period_parameter_and_htmx_partial(region_admin, world, period) -> None:
    client = client_for(region_admin)
    for value in ("x", "-3", "99999", "1;DROP", "9" * 30):
        response = client.get(reverse("reporting:compliance"), {"periode": value})
        assert response.status_code == 200 and response.context["period"] == period
    partial = client.get(
        reverse("reporting:compliance"), {"periode": period.pk}, headers={"HX-Request": "true"}
    )
    body = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in body and 'data-testid="overdue"' in body


def test_no_visible_period_says_so(outside_admin) -> None:
    response = client_for(outside_admin).get(reverse("reporting:compliance"))
    assert response.status_code == 200 and response.context["period"] is None
    assert "Belum ada periode penilaian" in response.content.decode()
