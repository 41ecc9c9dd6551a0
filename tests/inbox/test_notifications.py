"""Notifications: created on each hooked event for the right people, e-mailed after commit only per
preference, and opened or marked read only by their recipient."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from sipko.accounts.models import Role
from sipko.assessment.models import Appeal, AppealState
from sipko.inbox import services
from sipko.inbox.models import Notification
from sipko.planning import services as planning
from sipko.registry import services as registry
from sipko.registry.models import Verdict
from sipko.reporting import services as reporting
from tests.assessment.factories import fill_small
from tests.factories import DocumentFactory, ProgrammeFactory, ReportFactory, UserFactory
from tests.inbox.conftest import client_for

Kind = Notification.Kind


def kinds(user) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", "url")
    )


@pytest.fixture
def submitted_programme(ormas, period):
    return ProgrammeFactory(ormas=ormas, period=period, title="Posyandu Remaja", state="submitted")


@pytest.fixture
def emailed_operator(operator):
    operator.email = "sekretaris@pskk.example"
    operator.save()
    return operator


# --- what is notified --------------------------------------------------------------------------


def test_a_returned_programme_tells_the_ormas_operators_only(
    submitted_programme, operator, other_operator, region_admin
) -> None:
    colleague = UserFactory(username="operator_dua", role=Role.OPERATOR, ormas=operator.ormas)
    planning.programme_review(
        actor=region_admin, programme=submitted_programme, accept=False, note="Target belum jelas."
    )
    url = reverse("planning:programme_detail", args=[submitted_programme.uuid])
    assert kinds(operator) == [(Kind.RETURNED, url)] == kinds(colleague)
    assert kinds(other_operator) == [] and kinds(region_admin) == []
    notification = Notification.objects.get(recipient=operator)
    assert notification.message == "Program kerja “Posyandu Remaja” dikembalikan untuk diperbaiki."


def test_an_accepted_programme(submitted_programme, operator, region_admin) -> None:
    planning.programme_review(actor=region_admin, programme=submitted_programme, accept=True)
    assert [kind for kind, _url in kinds(operator)] == [Kind.ACCEPTED]


def test_a_refused_review_notifies_nobody(submitted_programme, outside_admin) -> None:
    with pytest.raises(PermissionDenied):
        planning.programme_review(actor=outside_admin, programme=submitted_programme, accept=True)
    assert not Notification.objects.exists()


def test_activity_reports_verified_or_returned(programme, operator, region_admin) -> None:
    verified = ReportFactory(programme=programme, title="Kerja Bakti")
    returned = ReportFactory(programme=programme, title="Lomba Desa")
    for report in (verified, returned):
        reporting.report_submit(actor=operator, report=report)
    reporting.report_review(actor=region_admin, report=verified, verify=True)
    reporting.report_review(actor=region_admin, report=returned, verify=False, reason="Foto?")
    assert kinds(operator) == [
        (Kind.VERIFIED, reverse("reporting:report_detail", args=[verified.uuid])),
        (Kind.RETURNED, reverse("reporting:report_detail", args=[returned.uuid])),
    ]


def test_a_document_verdict(ormas, operator, assessor) -> None:
    document = DocumentFactory(ormas=ormas, doc_type="ad_art")
    registry.document_verify(
        actor=assessor, document=document, verdict=Verdict.INVALID, reason="Tidak terbaca."
    )
    assert kinds(operator) == [(Kind.VERIFIED, reverse("registry:detail", args=[ormas.uuid]))]
    assert Notification.objects.get().message == "Dokumen AD/ART sudah diperiksa: tidak sah."


def test_an_assessor_assigned_to_an_ormas_is_told_once(other_ormas, region_admin) -> None:
    person = UserFactory(username="penilai_baru", role=Role.ASSESSOR, region_id="35.72")
    registry.assignment_create(actor=region_admin, assessor=person, ormas=other_ormas)
    registry.assignment_create(actor=region_admin, assessor=person, ormas=other_ormas)
    assert kinds(person) == [(Kind.ASSIGNED, reverse("registry:detail", args=[other_ormas.uuid]))]


def test_the_assessment_workflow_notifies_each_step(
    small_flow, operator, assessor, region_admin, other_operator
) -> None:
    detail = reverse("assessment:detail", args=[small_flow.assessment.uuid])
    fill_small(small_flow)
    small_flow.submit()
    small_flow.assign()
    assert kinds(assessor) == [(Kind.ASSIGNED, detail)]
    small_flow.assign()  # the same assessors again: nobody new to tell
    assert len(kinds(assessor)) == 1

    from sipko.assessment import services as assessment

    assessment.assessment_return(
        actor=assessor, assessment=small_flow.fresh(), reason="Bukti LV belum lengkap."
    )
    small_flow.submit()
    small_flow.verify_all({"AS": "2"})
    small_flow.complete()
    small_flow.publish()
    small_flow.appeal()
    other_admin = UserFactory(username="admin_kota_dua", role=Role.REGION_ADMIN, region_id="35.72")
    assessment.appeal_decide(
        actor=other_admin,
        appeal=Appeal.objects.get(),
        decision=AppealState.REJECTED,
        reason="Bukti tidak mendukung.",
    )
    assert [kind for kind, _url in kinds(operator)] == [
        Kind.RETURNED,
        Kind.VERIFIED,
        Kind.PUBLISHED,
        Kind.DECIDED,
    ]
    assert {url for _kind, url in kinds(operator)} == {detail}
    published = Notification.objects.get(recipient=operator, kind=Kind.PUBLISHED)
    assert "Keberatan dapat diajukan sampai" in published.message
    # No score in a notification: it is e-mailed as it is.
    assert str(small_flow.fresh().index)[:5] not in published.message
    assert kinds(other_operator) == []


# --- e-mail ------------------------------------------------------------------------------------


def test_the_e_mail_leaves_after_commit_with_a_link(
    submitted_programme,
    emailed_operator,
    region_admin,
    mailoutbox,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        planning.programme_review(actor=region_admin, programme=submitted_programme, accept=True)
    assert mailoutbox == []  # nothing before the change is committed
    for callback in callbacks:
        callback()
    [mail] = mailoutbox
    assert mail.to == ["sekretaris@pskk.example"]
    assert mail.subject == "[SIPKO] Program kerja “Posyandu Remaja” diterima Kesbangpol."
    url = reverse("planning:programme_detail", args=[submitted_programme.uuid])
    assert f"https://sipko.example.test{url}" in mail.body
    assert Notification.objects.get().emailed_at is not None


@pytest.mark.parametrize("setting", ["preference_off", "no_address"])
def test_no_e_mail_against_the_preference_or_without_an_address(
    submitted_programme,
    emailed_operator,
    region_admin,
    mailoutbox,
    django_capture_on_commit_callbacks,
    setting,
) -> None:
    if setting == "preference_off":
        emailed_operator.email_notifications = False
    else:
        emailed_operator.email = ""
    emailed_operator.save()
    with django_capture_on_commit_callbacks(execute=True):
        planning.programme_review(actor=region_admin, programme=submitted_programme, accept=True)
    assert mailoutbox == []
    notification = Notification.objects.get()  # still in SIPKO
    assert notification.emailed_at is None


def test_an_inactive_account_is_neither_notified_nor_mailed(
    submitted_programme,
    emailed_operator,
    region_admin,
    mailoutbox,
    django_capture_on_commit_callbacks,
) -> None:
    emailed_operator.is_active = False
    emailed_operator.save()
    with django_capture_on_commit_callbacks(execute=True):
        planning.programme_review(actor=region_admin, programme=submitted_programme, accept=True)
    assert mailoutbox == [] and not Notification.objects.exists()


def test_the_e_mail_carries_no_personal_data(
    small_flow, emailed_operator, assessor, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    assessor.first_name, assessor.last_name = "Bayu", "Prakoso"
    assessor.save()
    fill_small(small_flow)
    small_flow.submit()
    small_flow.assign()
    with django_capture_on_commit_callbacks(execute=True):
        from sipko.assessment import services as assessment

        assessment.assessment_return(
            actor=assessor, assessment=small_flow.fresh(), reason="Telepon 081234567890 Bayu"
        )
    [mail] = mailoutbox
    for private in ("Bayu", "Prakoso", "081234567890"):
        assert private not in mail.body and private not in mail.subject


# --- reading -----------------------------------------------------------------------------------


@pytest.fixture
def notes(operator, other_operator):
    mine = services.notify(operator, Kind.RETURNED, "Milik operator", "/perencanaan/program/")
    theirs = services.notify(other_operator, Kind.RETURNED, "Milik tetangga", "/")
    return mine, theirs


def test_opening_marks_read_and_follows_the_link(notes, operator) -> None:
    mine, _theirs = notes
    response = client_for(operator).post(reverse("inbox:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/perencanaan/program/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_nobody_opens_another_users_notification(notes, operator, region_admin) -> None:
    _mine, theirs = notes
    for user in (operator, region_admin):
        assert client_for(user).post(reverse("inbox:open", args=[theirs.pk])).status_code == 404
        with pytest.raises(PermissionDenied):
            services.notification_open(actor=user, notification=theirs)
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Client().post(reverse("inbox:open", args=[theirs.pk])).status_code == 302  # login


def test_a_link_outside_sipko_is_not_followed(operator) -> None:
    odd = services.notify(operator, Kind.RETURNED, "Tautan aneh", "https://evil.example/")
    response = client_for(operator).post(reverse("inbox:open", args=[odd.pk]))
    assert response["Location"] == reverse("inbox:notifications")


def test_read_all_marks_only_ones_own(notes, operator) -> None:
    mine, theirs = notes
    assert services.notifications_read_all(actor=operator) == 1
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    client_for(operator).post(reverse("inbox:read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_shows_ones_own_unread_first_and_the_navbar_count(notes, operator) -> None:
    older_read = services.notify(operator, Kind.ACCEPTED, "Sudah dibaca", "/")
    services.notification_open(actor=operator, notification=older_read)
    body = client_for(operator).get(reverse("inbox:notifications")).content.decode()
    assert "Milik tetangga" not in body
    assert body.index("Milik operator") < body.index("Sudah dibaca")
    assert 'data-testid="unread-count">1' in body
