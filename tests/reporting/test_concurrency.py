"""Reports and programmes sent twice at once, and evidence uploaded past its limit at once.

Through the web, as the probe did: each racing request has its own client and connection; the
answer to a repeated request is a redirect with a message, never a 500 or a second log row.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sipko.reporting import services
from sipko.reporting.models import ActivityReport
from sipko.workflow.models import StateChange
from tests.access.reporting import image_upload
from tests.concurrency import errors, postgres_only, race
from tests.factories import ProgrammeFactory, ReportFactory

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_a_report_submitted_three_times_at_once_is_submitted_once(operator, programme):
    report = ReportFactory(programme=programme, state="draft")
    url = reverse("reporting:report_submit", kwargs={"uuid": report.uuid})
    clients = [_client(operator) for _ in range(3)]

    outcomes = race(*[lambda c=c: c.post(url).status_code for c in clients])

    assert not errors(outcomes)
    assert [o.value for o in outcomes] == [302, 302, 302]
    assert ActivityReport.objects.get(pk=report.pk).state == "submitted"
    assert StateChange.objects.filter(object_id=report.pk, action="submit").count() == 1


def test_a_programme_submitted_twice_at_once_is_submitted_once(operator, ormas, period):
    from sipko.planning import services as planning
    from sipko.planning.models import Programme
    from tests.factories import IndicatorFactory

    programme = ProgrammeFactory(ormas=ormas, period=period, state="draft")
    IndicatorFactory(programme=programme)

    def submit():
        return planning.programme_submit(
            actor=operator, programme=Programme.objects.get(pk=programme.pk)
        )

    outcomes = race(submit, submit)

    assert sum(o.ok for o in outcomes) == 1
    assert StateChange.objects.filter(object_id=programme.pk, action="submit").count() == 1


def test_evidence_uploaded_at_once_never_passes_the_limit(operator, programme, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = ReportFactory(programme=programme, state="draft")
    for _ in range(services.MAX_EVIDENCE_PER_REPORT - 3):
        services.evidence_add(actor=operator, report=report, upload=image_upload())

    def add():
        return services.evidence_add(
            actor=operator,
            report=ActivityReport.objects.get(pk=report.pk),
            upload=image_upload(),
        )

    outcomes = race(*[add] * 6)

    assert report.evidence.count() == services.MAX_EVIDENCE_PER_REPORT
    assert sum(o.ok for o in outcomes) == 3
    assert all("Paling banyak" in " ".join(e.messages) for e in errors(outcomes))
