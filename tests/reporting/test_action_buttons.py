"""The report page offers "Ajukan" only when the workflow would take it, else says why."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.factories import ReportFactory


def test_no_submit_button_without_a_narrative(programme, operator) -> None:
    report = ReportFactory(programme=programme, state="draft")
    client = Client()
    client.force_login(operator)
    detail = reverse("reporting:report_detail", args=[report.uuid])
    submit = reverse("reporting:report_submit", args=[report.uuid])
    assert f'action="{submit}"' in client.get(detail).text

    report.narrative = "  "
    report.save()
    page = client.get(detail).text

    assert f'action="{submit}"' not in page
    assert 'data-testid="submit-refusal"' in page
    assert "Isi uraian kegiatan sebelum mengajukan." in page
