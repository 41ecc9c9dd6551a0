"""Every demo login can do its job, through the web, in the demo `seed_demo` loads.

README and docs/demo-data.md promise what each demo account can try; these tests log in as each
one with the test client, on the login page, and do it: post the forms and read the answer.
Like the other demo tests, the demo is loaded once for the module inside a transaction that is
rolled back at the end; each test runs in a savepoint on top of it, so one login's work never
takes away another's.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sipko.accounts.models import Role, User
from sipko.assessment import demo as assessment_demo
from sipko.assessment.models import Answer, Assessment, AssessmentState
from sipko.assessment.selectors import value_choices
from sipko.planning.models import Period, PeriodState, Programme, ProgrammeState
from sipko.registry import demo as registry_demo
from sipko.registry.models import Ormas

KOTA, KAB = "35.72", "35.05"


def log_in(username: str) -> Client:
    """A browser that signed in on the login page with the published demo password."""
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": registry_demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302, f"{username} cannot log in"
    return client


def messages_of(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


def open_for_programmes(region: str) -> Period:
    """The one period of the region that takes programmes now."""
    return Period.objects.get(region_id=region, state=PeriodState.OPEN)


# --- every account exists and signs in ------------------------------------------------------------


def test_every_demo_account_is_listed_and_signs_in(seeded: str) -> None:
    usernames = [*registry_demo.DEMO_USERNAMES, *assessment_demo.EXTRA_USERNAMES]
    assert "operator_kab" in usernames and len(usernames) == 13
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    listed = out.getvalue()
    for username in usernames:
        assert f"\n{username} " in listed
        log_in(username)
    assert "(35.05 Kabupaten Blitar)" in listed  # operator_kab says where it is


def test_each_demo_region_has_a_period_open_for_programmes_with_its_deadline_ahead_or_near(
    seeded: str,
) -> None:
    today = timezone.localdate()
    for region in (KOTA, KAB):
        period = open_for_programmes(region)
        assert period.name.endswith("(demo)")
        assert period.start <= period.programme_due <= period.end
        assert period.end >= today  # never a period long gone
    # Kota Blitar's current period is being assessed; next year's takes the programmes.
    kota = open_for_programmes(KOTA)
    assessing = Period.objects.get(region_id=KOTA, state=PeriodState.ASSESSMENT)
    assert kota.start.year == assessing.start.year + 1
    assert kota.start > today or kota.programme_due >= today - dt.timedelta(days=140)


# --- operators ------------------------------------------------------------------------------------


def create_and_submit_programme(client: Client, ormas: Ormas) -> Programme:
    """Fill in the programme form, add an indicator and submit, as an operator does."""
    period = open_for_programmes(ormas.kabkota_code)
    create = reverse("planning:programme_create", args=[ormas.uuid])
    form = client.get(create)
    assert form.status_code == 200
    assert form.context["form"].initial.get("period") == period.pk  # the open one, preselected
    sasaran = period.rpjmd.items.filter(level="sasaran").first()
    start = max(period.start, timezone.localdate() + dt.timedelta(days=30))
    response = client.post(
        create,
        {
            "period": str(period.pk),
            "title": "Pelatihan Uji Coba Demo (fiktif)",
            "objective": "Menguji bahwa akun demo dapat mengajukan program kerja.",
            "bidang": [ormas.bidang.first().code],
            "sasaran": [str(sasaran.pk)],
            "locations": [ormas.region_id],
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=60)).isoformat(),
            "budget": "2.500.000",
            "funding_sources": ["iuran"],
            "target_beneficiaries": "60",
            "beneficiary_description": "Warga sekitar sekretariat",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    programme = Programme.objects.get(ormas=ormas, title="Pelatihan Uji Coba Demo (fiktif)")
    assert programme.period == period and programme.state == ProgrammeState.DRAFT
    response = client.post(
        reverse("planning:indicator_add", args=[programme.uuid]),
        {
            "name": "Peserta pelatihan",
            "unit": "orang",
            "target": "60",
            "polarity": "higher",
            "aggregation": "sum",
        },
    )
    assert response.status_code == 302
    submitted = client.post(
        reverse("planning:programme_submit", args=[programme.uuid]), follow=True
    )
    assert "Program diajukan ke Kesbangpol untuk ditinjau." in messages_of(submitted)
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.SUBMITTED
    return programme


def submit(client: Client, programme: Programme) -> None:
    response = client.post(reverse("planning:programme_submit", args=[programme.uuid]), follow=True)
    assert "Program diajukan ke Kesbangpol untuk ditinjau." in messages_of(response)
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.SUBMITTED


@pytest.mark.parametrize(("username", "region"), [("operator", KOTA), ("operator_kab", KAB)])
def test_operators_create_and_submit_a_programme_and_send_their_draft(
    seeded: str, username: str, region: str
) -> None:
    user = User.objects.get(username=username)
    assert user.role == Role.OPERATOR and user.ormas.kabkota_code == region
    client = log_in(username)
    assert client.get(reverse("home"), follow=True).status_code == 200
    programme = create_and_submit_programme(client, user.ormas)
    assert programme.submitted_at is not None
    # The draft the demo left waiting is in the open period and can be sent as it is.
    draft = Programme.objects.get(
        ormas=user.ormas, state=ProgrammeState.DRAFT, period=open_for_programmes(region)
    )
    submit(client, draft)


def test_operator2_fixes_its_returned_programme_and_sends_it_again(seeded: str) -> None:
    user = User.objects.get(username="operator2")
    client = log_in("operator2")
    returned = Programme.objects.get(ormas=user.ormas, state=ProgrammeState.RETURNED)
    assert returned.review_note and returned.period == open_for_programmes(KOTA)
    page = client.get(reverse("planning:programme_detail", args=[returned.uuid]))
    assert returned.review_note in page.content.decode()
    edit = reverse("planning:programme_edit", args=[returned.uuid])
    form = client.get(edit).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value not in (None, "")
    }
    data.update(
        period=str(returned.period_id),
        bidang=[b.code for b in returned.bidang.all()],
        sasaran=[str(pk) for pk in form.initial["sasaran"]],
        locations=form.initial["locations"],
        objective=returned.objective + " Rincian anggaran dilengkapi sesuai catatan.",
        start_date=returned.start_date.isoformat(),
        end_date=returned.end_date.isoformat(),
        budget=str(int(returned.budget)),
        target_beneficiaries=str(returned.target_beneficiaries),
    )
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
    submit(client, returned)


def test_operator_works_on_its_self_assessment(seeded: str) -> None:
    user = User.objects.get(username="operator")
    client = log_in("operator")
    assessment = Assessment.objects.get(ormas=user.ormas, state=AssessmentState.DRAFT)
    assert client.get(reverse("assessment:detail", args=[assessment.uuid])).status_code == 200
    spec = assessment.instrument.spec
    answer = next(
        a
        for a in assessment.answers.order_by("indicator")
        if spec.indicator(a.indicator).source == "self" and not a.value
    )
    indicator = spec.indicator(answer.indicator)
    choices = value_choices(indicator)
    value = choices[-1][0] if choices else "12"
    code = answer.indicator
    response = client.post(
        reverse("assessment:answer_save", args=[assessment.uuid, code]),
        {f"{code}-value": value, f"{code}-note": "Diisi saat mencoba akun demo."},
        follow=True,
    )
    assert response.status_code == 200
    answer.refresh_from_db()
    assert answer.value == value and answer.answered_by == user


def test_operator2_files_an_appeal_on_its_published_result(seeded: str) -> None:
    user = User.objects.get(username="operator2")
    client = log_in("operator2")
    assessment = Assessment.objects.get(ormas=user.ormas, state=AssessmentState.PUBLISHED)
    url = reverse("assessment:appeal", args=[assessment.uuid])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"grounds": "Kemitraan dengan kelurahan belum dihitung (uji akun demo).", "indicators": []},
        follow=True,
    )
    assert response.status_code == 200
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.APPEAL


@pytest.mark.parametrize(("username", "wording"), [("operator3", "appeal"), ("operator4", "final")])
def test_operators_3_and_4_follow_their_appeal(seeded: str, username: str, wording: str) -> None:
    user = User.objects.get(username=username)
    client = log_in(username)
    state = AssessmentState.APPEAL if wording == "appeal" else AssessmentState.FINAL
    assessment = Assessment.objects.get(ormas=user.ormas, state=state, appeal__isnull=False)
    page = client.get(reverse("assessment:detail", args=[assessment.uuid]))
    assert page.status_code == 200
    assert assessment.appeal.grounds[:40] in page.content.decode()


# --- Kesbangpol -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "region"), [("admin_kota", KOTA), ("admin_kab", KAB)])
def test_region_admins_accept_a_submitted_programme(
    seeded: str, username: str, region: str
) -> None:
    client = log_in(username)
    waiting = Programme.objects.filter(
        ormas__region__code__startswith=region + ".",
        state=ProgrammeState.SUBMITTED,
        period=open_for_programmes(region),
    ).first()
    assert waiting is not None, f"nothing for {username} to review in the open period"
    listing = client.get(reverse("planning:programme_list"))
    assert listing.status_code == 200 and listing.context["review_count"] > 0
    review = reverse("planning:programme_review", args=[waiting.uuid])
    assert client.get(review).status_code == 200
    response = client.post(review, {"decision": "accept", "note": ""}, follow=True)
    assert "Program diterima." in messages_of(response)
    waiting.refresh_from_db()
    assert waiting.state == ProgrammeState.ACCEPTED and waiting.reviewed_by.username == username


def test_admin_kota_reviews_what_an_operator_just_sent(seeded: str) -> None:
    operator = User.objects.get(username="operator")
    programme = create_and_submit_programme(log_in("operator"), operator.ormas)
    response = log_in("admin_kota").post(
        reverse("planning:programme_review", args=[programme.uuid]),
        {"decision": "return", "note": "Lengkapi rincian anggaran (uji akun demo)."},
        follow=True,
    )
    assert "Program dikembalikan ke ormas dengan catatan." in messages_of(response)
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.RETURNED


# --- assessors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["penilai", "penilai2", "penilai_kab"])
def test_assessors_open_an_assessment_waiting_and_verify_an_answer(
    seeded: str, username: str
) -> None:
    user = User.objects.get(username=username)
    client = log_in(username)
    listing = client.get(reverse("assessment:list"))
    assert listing.status_code == 200
    waiting = [
        a
        for a in Assessment.objects.filter(assessor=user, state=AssessmentState.SUBMITTED)
        if a.answers.filter(verified_at=None).exclude(value="").exists()
    ]
    assert waiting, f"nothing waiting for {username}"
    assessment = waiting[0]
    assert str(assessment.uuid) in listing.content.decode()
    detail = client.get(reverse("assessment:detail", args=[assessment.uuid]))
    assert detail.status_code == 200
    spec = assessment.instrument.spec
    answer = next(
        a
        for a in assessment.answers.filter(verified_at=None).exclude(value="")
        if spec.indicator(a.indicator).source == "self"
    )
    code = answer.indicator
    response = client.post(
        reverse("assessment:answer_verify", args=[assessment.uuid, code]),
        {f"{code}-value": answer.value, f"{code}-reason": ""},
    )
    assert response.status_code == 302
    answer = Answer.objects.get(pk=answer.pk)
    assert answer.verified_by == user and answer.verified_at is not None
    assert answer.verified_value == answer.value


# --- who reads ------------------------------------------------------------------------------------


PAGES = (
    "registry:list",
    "planning:programme_list",
    "reporting:report_list",
    "reporting:compliance",
    "reporting:finance_list",
    "assessment:list",
)


def test_pemantau_reads_the_lists_and_dashboards_of_kota_blitar_and_changes_nothing(
    seeded: str,
) -> None:
    client = log_in("pemantau")
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    registry = client.get(reverse("registry:list"))
    assert (
        registry.context["page"].paginator.count
        == Ormas.objects.filter(region__code__startswith=KOTA + ".").count()
    )
    kab = User.objects.get(username="operator_kab").ormas
    assert client.get(reverse("registry:detail", args=[kab.uuid])).status_code == 404
    kota = User.objects.get(username="operator").ormas
    assert client.get(reverse("registry:detail", args=[kota.uuid])).status_code == 200
    published = Assessment.objects.filter(
        ormas__region__code__startswith=KOTA + ".", state=AssessmentState.PUBLISHED
    ).first()
    assert client.get(reverse("assessment:detail", args=[published.uuid])).status_code == 200
    create = client.get(reverse("planning:programme_create", args=[kota.uuid]))
    assert create.status_code in (403, 404)


@pytest.mark.parametrize("username", ["admin_jatim", "admin_nasional"])
def test_province_and_national_admins_see_both_regions(seeded: str, username: str) -> None:
    client = log_in(username)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    registry = client.get(reverse("registry:list"))
    assert registry.context["page"].paginator.count == Ormas.objects.count()
    for operator in ("operator", "operator_kab"):
        ormas = User.objects.get(username=operator).ormas
        assert client.get(reverse("registry:detail", args=[ormas.uuid])).status_code == 200
    programmes = client.get(reverse("planning:programme_list"))
    assert programmes.context["page"].paginator.count == Programme.objects.count()


def test_admin_nasional_also_opens_django_admin(seeded: str) -> None:
    client = log_in("admin_nasional")
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:registry_ormas_changelist")).status_code == 200


def test_seed_demo_marks_its_accounts_and_demo_logins_says_they_skip_the_code(
    seeded, settings
) -> None:
    from io import StringIO

    from django.core.management import call_command

    from sipko.accounts.models import User
    from sipko.assessment import demo as assessment_demo
    from sipko.registry import demo as registry_demo

    names = [*registry_demo.DEMO_USERNAMES, *assessment_demo.EXTRA_USERNAMES]
    assert set(User.objects.filter(is_demo=True).values_list("username", flat=True)) == set(names)
    settings.SIPKO_TWO_FACTOR_REQUIRED = True
    settings.SIPKO_DEMO_WITHOUT_TWO_FACTOR = True
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "akun demo masuk tanpa verifikasi dua langkah" in out.getvalue()
    client = Client()
    client.post(
        reverse("login"), {"username": "admin_kota", "password": registry_demo.DEMO_PASSWORD}
    )
    assert client.get(reverse("registry:list")).status_code == 200  # no second factor asked
