"""Rules added after a new-user review: URL-safe versions, the national upload, assessors and
drafts, follow-up dates, and what the list shows while verification runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sipko.accounts import access
from sipko.assessment import scoring, services
from sipko.assessment.models import Instrument

DEFAULT = Path(scoring.IKO_2025_FILE)


@pytest.mark.parametrize("version", ["../../x", "2026 1", "<b>x</b>", "a/b"])
def test_a_new_version_must_be_url_safe(iko, national_admin, version):
    with pytest.raises(ValidationError, match="huruf, angka"):
        services.instrument_new_version(actor=national_admin, instrument=iko, version=version)
    assert not Instrument.objects.filter(version=version).exists()


def test_an_instrument_file_with_a_slash_in_its_version_is_refused(db):
    text = DEFAULT.read_text(encoding="utf-8").replace('version: "2025.1"', 'version: "2025/1"')
    with pytest.raises(ValidationError) as refused:
        services.instrument_load(actor=None, text=text)
    assert any("version" in message for message in refused.value.messages)


def test_the_instrument_list_still_renders_after_a_new_version(iko, national_admin, viewer):
    services.instrument_new_version(actor=national_admin, instrument=iko, version="2026.1")
    client = Client()
    client.force_login(national_admin)
    response = client.get(reverse("assessment:instrument_list"))
    assert response.status_code == 200
    assert "2026.1" in response.content.decode()
    download = client.get(
        reverse("assessment:instrument_yaml", kwargs={"code": iko.code, "version": "2026.1"})
    )
    assert download["Content-Disposition"].endswith('iko-default-2026.1.yaml"')


def test_the_national_admin_uploads_a_national_instrument(national_admin):
    text = DEFAULT.read_bytes().replace(b'version: "2025.1"', b'version: "2030.1"')
    client = Client()
    client.force_login(national_admin)
    response = client.post(
        reverse("assessment:instrument_load"),
        {"scope": "nasional", "file": SimpleUploadedFile("iko.yaml", text)},
    )
    assert response.status_code == 302
    loaded = Instrument.objects.get(code="IKO-DEFAULT", version="2030.1")
    assert loaded.region_id is None and not loaded.is_published


def test_an_assigned_assessor_does_not_see_a_draft(small_flow, assessor):
    small_flow.assign()
    draft = small_flow.fresh()
    assert draft.assessor == assessor and draft.state == "draft"
    assert not access.assessments_visible_to(assessor).filter(pk=draft.pk).exists()
    small_flow.submit()
    assert access.assessments_visible_to(assessor).filter(pk=draft.pk).exists()


def test_a_follow_up_cannot_be_due_in_the_past(published_small, region_admin):
    with pytest.raises(ValidationError, match="sebelum hari ini"):
        services.follow_up_create(
            actor=region_admin,
            assessment=published_small.fresh(),
            action="Lengkapi AD/ART.",
            due=dt.date(1900, 1, 1),
        )


def test_the_list_shows_no_score_while_verification_has_not_finished(small_flow, region_admin):
    from tests.assessment.factories import fill_small

    fill_small(small_flow)
    small_flow.submit()
    small_flow.assign()
    small_flow.verify("LV", "1", "Tidak ada bukti kantor")  # scores 0 so far
    client = Client()
    client.force_login(region_admin)
    response = client.get(reverse("assessment:list"), {"periode": small_flow.assessment.period_id})
    row = response.content.decode().split('data-testid="assessment-table"')[1]
    assert "0,00" not in row
    assert 'predicate-d"' not in row


def test_a_region_cannot_load_a_version_of_the_national_code(iko, region_admin):
    text = DEFAULT.read_bytes().replace(b'version: "2025.1"', b'version: "2026.1"')
    with pytest.raises(ValidationError, match="pemilik lain"):
        services.instrument_load(actor=region_admin, text=text, region_code="35.72")
    assert not Instrument.objects.filter(version="2026.1").exists()


def test_the_instrument_page_names_types_and_sources_in_words(iko, viewer):
    client = Client()
    client.force_login(viewer)
    page = client.get(
        reverse("assessment:instrument_detail", kwargs={"code": iko.code, "version": iko.version})
    ).content.decode()
    assert "Rentang angka" in page and "dihitung sistem" in page
    assert "<td>banded" not in page


def test_a_viewer_sees_that_an_appeal_exists_but_not_its_grounds(published_small, viewer):
    grounds = "Nilai rekening bank keliru, kami punya buktinya."
    published_small.appeal(grounds=grounds)
    url = reverse("assessment:detail", kwargs={"uuid": published_small.assessment.uuid})
    client = Client()
    client.force_login(viewer)
    page = client.get(url).content.decode()
    assert 'data-testid="appeal"' in page and grounds not in page
    client.force_login(published_small.operator)
    assert grounds in client.get(url).content.decode()


def test_a_refused_follow_up_names_the_field(published_small, region_admin):
    client = Client()
    client.force_login(region_admin)
    url = reverse("assessment:follow_up_add", kwargs={"uuid": published_small.assessment.uuid})
    page = client.post(url, {"action": ""}, follow=True).content.decode()
    assert "Tindak lanjut: Wajib diisi." in page


def test_the_period_choice_names_periods_by_their_id_unformatted(region_admin):
    """A period id of 4,321 goes into the filter as "4321", not as "4.321" (Indonesian number
    formatting), which would choose nothing."""
    from sipko.assessment.models import PeriodStandard
    from tests.assessment.factories import SMALL_YAML, published_instrument
    from tests.factories import PeriodFactory

    period = PeriodFactory(pk=4321)
    PeriodStandard.objects.create(period=period, instrument=published_instrument(SMALL_YAML))
    client = Client()
    client.force_login(region_admin)
    page = client.get(reverse("assessment:list"), {"periode": period.pk}).content.decode()
    assert 'value="4321"' in page
    assert "4.321" not in page
