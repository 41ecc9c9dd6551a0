"""The assessment page offers a move only when the service would take it: the access predicate
decides whether it is offered, the workflow's guards whether it can be done now (and if not,
the page says why instead of a button that would be refused)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client
from django.urls import reverse

from sipko.planning.models import Period

JAKARTA = ZoneInfo("Asia/Jakarta")


def page_for(user, assessment) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("assessment:detail", args=[assessment.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def move_url(assessment, action: str) -> str:
    return reverse("assessment:move", args=[assessment.uuid, action])


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=JAKARTA)


def test_no_finalise_button_inside_the_appeal_window(published_small, region_admin) -> None:
    assessment = published_small.fresh()

    page = page_for(region_admin, assessment)

    assert move_url(assessment, "finalise") not in page
    assert 'data-testid="refusal-finalise"' in page
    assert "Masa keberatan masih berjalan sampai" in page

    with time_machine.travel(noon(assessment.appeal_until + dt.timedelta(days=1)), tick=False):
        page = page_for(region_admin, assessment)
    assert f'action="{move_url(assessment, "finalise")}"' in page


def test_no_appeal_link_once_the_window_has_closed(published_small, operator) -> None:
    assessment = published_small.fresh()
    appeal_url = reverse("assessment:appeal", args=[assessment.uuid])
    assert appeal_url in page_for(operator, assessment)

    with time_machine.travel(noon(assessment.appeal_until + dt.timedelta(days=1)), tick=False):
        page = page_for(operator, assessment)
        client = Client()
        client.force_login(operator)
        response = client.get(appeal_url, follow=True)

    assert appeal_url not in page
    assert "Masa keberatan sudah berakhir." in page
    # The form itself is not offered either: back to the page, with the reason.
    assert response.redirect_chain and "Masa keberatan sudah berakhir." in response.text


def test_complete_is_held_back_until_every_answer_is_verified(
    small_flow, assessor, private_media
) -> None:
    from tests.assessment.factories import fill_small

    fill_small(small_flow)
    small_flow.submit()
    small_flow.assign()
    small_flow.verify("LV")
    assessment = small_flow.fresh()

    page = page_for(assessor, assessment)

    assert move_url(assessment, "complete") not in page
    assert "Masih ada jawaban yang belum diverifikasi penilai." in page

    small_flow.verify_all({"AS": "2"})
    assert f'action="{move_url(assessment, "complete")}"' in page_for(assessor, assessment)


def test_publish_is_held_back_while_the_period_cannot_publish(verified_small, region_admin) -> None:
    assessment = verified_small.fresh()
    assert f'action="{move_url(assessment, "publish")}"' in page_for(region_admin, assessment)
    assert "tidak dapat dibatalkan" in page_for(region_admin, assessment)

    Period.objects.filter(pk=assessment.period_id).update(state="open")
    page = page_for(region_admin, verified_small.fresh())

    assert move_url(assessment, "publish") not in page
    assert "Hasil hanya dapat diumumkan saat periode berstatus Penilaian" in page


def test_nothing_to_move_in_a_closed_period(published_small, region_admin, operator) -> None:
    assessment = published_small.fresh()
    Period.objects.filter(pk=assessment.period_id).update(state="closed")

    for user in (region_admin, operator):
        page = page_for(user, published_small.fresh())
        assert reverse("assessment:move", args=[assessment.uuid, "finalise"]) not in page
        assert reverse("assessment:appeal", args=[assessment.uuid]) not in page


def test_eligibility_link_only_for_those_who_keep_rules(
    published_small, region_admin, national_admin
) -> None:
    rules = reverse("assessment:eligibility")
    for user, offered in ((region_admin, True), (national_admin, False)):
        client = Client()
        client.force_login(user)
        page = client.get(reverse("assessment:list")).content.decode()
        assert (f'href="{rules}"' in page) is offered
        assert client.get(rules).status_code == (200 if offered else 403)


def test_no_instrument_form_for_a_closed_period(period, region_admin) -> None:
    Period.objects.filter(pk=period.pk).update(state="closed")
    client = Client()
    client.force_login(region_admin)
    standard = reverse("assessment:period_standard", args=[period.pk])

    detail = client.get(reverse("planning:period_detail", args=[period.pk])).text
    response = client.get(standard, follow=True)

    assert standard not in detail
    assert "sudah ditutup; datanya tidak dapat diubah lagi." in response.text
    assert 'name="instrument"' not in response.text
