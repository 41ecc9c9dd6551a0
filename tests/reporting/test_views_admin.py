"""Django admin shows reporting records read-only, and never links an evidence file."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sipko.accounts.models import User
from sipko.reporting import services
from sipko.reporting.models import FinancialSummary
from tests.access.reporting import image_upload
from tests.factories import ReportFactory


@pytest.fixture
def admin_client(programme) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("super", "super@example.test", "x"))
    return client


@pytest.mark.parametrize("model", ["activityreport", "evidence", "financialsummary", "reminderlog"])
def test_reporting_admin_is_read_only(model, admin_client) -> None:
    assert admin_client.get(reverse(f"admin:reporting_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:reporting_{model}_add")).status_code == 403


def test_report_and_evidence_pages_show_no_file_link(admin_client, programme, ormas) -> None:
    report = ReportFactory(programme=programme, title="Kegiatan di admin")
    evidence = services.evidence_add(actor=None, report=report, upload=image_upload("a.png"))
    FinancialSummary.objects.create(ormas=ormas, period=programme.period)
    for url in (
        reverse("admin:reporting_activityreport_change", args=[report.pk]),
        reverse("admin:reporting_evidence_change", args=[evidence.pk]),
    ):
        page = admin_client.get(url)
        body = page.content.decode()
        assert page.status_code == 200 and "a.png" in body
        assert evidence.file.name not in body and evidence.thumbnail.name not in body
