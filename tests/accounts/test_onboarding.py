"""Bulk onboarding: one operator per chosen ormas, slips, activation e-mails, and the pages."""

from __future__ import annotations

import datetime as dt
import io
import re
import smtplib

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends import locmem
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from sipko.accounts import access, services, slips
from sipko.accounts.models import AccountEvent, ActivationCode, Role, User
from sipko.registry.models import ActivityStatus
from tests.concurrency import errors, postgres_only, race
from tests.factories import OrmasFactory, PengurusFactory, UserFactory

CODE = re.compile(r"[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}")


@pytest.fixture
def waiting() -> list:
    """Three Kota Blitar ormas without an operator (one inactive, one with an e-mail)."""
    return [
        OrmasFactory(
            name="Karang Taruna Sukorejo (fiktif)", acronym="KTS", email="kts@example.test"
        ),
        OrmasFactory(name="Paguyuban Becak Kepanjenkidul (fiktif)", acronym=""),
        OrmasFactory(
            name="Perkumpulan Tidur Panjang (fiktif)",
            acronym="PTP",
            activity_status=ActivityStatus.TIDAK_AKTIF,
        ),
    ]


def _text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_awaiting_lists_ormas_without_an_active_operator(
    region_admin, ormas, operator, waiting, outside_ormas
) -> None:
    names = set(access.ormas_awaiting_operator(region_admin).values_list("name", flat=True))
    assert names == {o.name for o in waiting}
    operator.is_active = False
    operator.save()
    assert ormas in access.ormas_awaiting_operator(region_admin)


def test_onboarding_creates_one_operator_per_ormas_in_one_batch(region_admin, waiting) -> None:
    plan = services.onboarding_plan(region_admin, waiting)
    batch = services.onboard_ormas(region_admin, waiting)
    operators = User.objects.filter(role=Role.OPERATOR, ormas__in=waiting)
    assert sorted(u.ormas_id for u in operators) == sorted(o.pk for o in waiting)
    assert {(p.ormas.pk, p.username) for p in plan} == {(u.ormas_id, u.username) for u in operators}
    assert ActivationCode.objects.filter(batch=batch).count() == 3
    for user in operators:
        assert not user.has_usable_password()
        assert re.fullmatch(r"[a-z0-9]{2,16}", user.username), user.username
        assert AccountEvent.objects.filter(user=user, actor=region_admin).count() == 2
    assert User.objects.get(ormas=waiting[0]).username == "kts"
    assert User.objects.get(ormas=waiting[0]).email == "kts@example.test"
    # Done: none of them is offered again.
    assert not access.ormas_awaiting_operator(region_admin).filter(pk__in=[o.pk for o in waiting])


def test_usernames_stay_unique(region_admin) -> None:
    twins = [OrmasFactory(name=f"Karang Taruna {n} (fiktif)", acronym="KT") for n in range(3)]
    services.onboard_ormas(region_admin, twins)
    assert sorted(User.objects.filter(ormas__in=twins).values_list("username", flat=True)) == [
        "kt",
        "kt2",
        "kt3",
    ]


def test_none_for_ormas_that_already_have_an_operator(region_admin, ormas, operator, waiting):
    with pytest.raises(ValidationError) as info:
        services.onboard_ormas(region_admin, [*waiting, ormas])
    assert ormas.name in str(info.value)
    assert not User.objects.filter(ormas__in=waiting).exists()
    assert User.objects.filter(ormas=ormas).count() == 1


def test_onboarding_refuses_ormas_outside_scope(region_admin, waiting, outside_ormas) -> None:
    with pytest.raises(PermissionDenied):
        services.onboard_ormas(region_admin, [*waiting, outside_ormas])
    assert not User.objects.filter(role=Role.OPERATOR, ormas__in=[*waiting, outside_ormas])


@pytest.mark.parametrize("persona", ["operator", "viewer", "assessor", "outside_admin"])
def test_onboarding_refused_to_others(request, persona, waiting) -> None:
    with pytest.raises(PermissionDenied):
        services.onboard_ormas(request.getfixturevalue(persona), waiting)
    assert not User.objects.filter(ormas__in=waiting).exists()


def test_activation_emails_go_to_the_ormas_with_a_link_and_no_personal_data(
    region_admin, waiting, mailoutbox
) -> None:
    PengurusFactory(ormas=waiting[0], nik="3572011204850001", phone="+6281299990001")
    batch = services.onboard_ormas(region_admin, waiting)
    sent, without, _failed = services.activation_emails_send(region_admin, batch)
    assert sent == 1
    assert {u.ormas for u in without} == {waiting[1], waiting[2]}
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["kts@example.test"]
    assert waiting[0].name in mail.subject
    code = ActivationCode.objects.get(batch=batch, user__ormas=waiting[0])
    clear = services.code_clear(code)
    assert (
        f"https://sipko.example.test/akun/aktivasi/#kode={services.format_code(clear)}" in mail.body
    )
    assert "kts" in mail.body
    for private in ("3572011204850001", "+6281299990001", "081299990001", "Jl. Contoh"):
        assert private not in mail.body
    code.refresh_from_db()
    assert code.emailed_at is not None
    assert AccountEvent.objects.filter(
        user=code.user, kind=AccountEvent.Kind.CODE_EMAILED, actor=region_admin
    ).exists()


def test_pressing_send_again_does_not_e_mail_the_same_links_twice(
    region_admin, waiting, mailoutbox
) -> None:
    batch = services.onboard_ormas(region_admin, waiting)
    assert services.activation_emails_send(region_admin, batch).sent == 1
    with pytest.raises(ValidationError, match="sudah dikirim"):
        services.activation_emails_send(region_admin, batch)
    assert len(mailoutbox) == 1
    client = Client()
    client.force_login(region_admin)
    page = client.get(reverse("users:batch", args=[batch]))
    assert b'data-testid="email-button"' not in page.content


class RefusingBackend(locmem.EmailBackend):
    """A mail server that refuses one mailbox (as SMTP does for a mistyped ormas address)."""

    def send_messages(self, messages):
        for message in messages:
            if "tolak@example.test" in message.to:
                raise smtplib.SMTPRecipientsRefused({"tolak@example.test": (550, b"no")})
        return super().send_messages(messages)


def test_one_refused_address_does_not_stop_the_batchs_e_mails(
    region_admin, waiting, mailoutbox, settings
) -> None:
    """A batch of many ormas with one mistyped address: the others get their link, keep their
    `emailed_at`, and the page names the one that failed (instead of rolling everything back
    after the mails already left, so that every retry sends them again and fails again)."""
    settings.EMAIL_BACKEND = "tests.accounts.test_onboarding.RefusingBackend"
    waiting[1].email = "tolak@example.test"
    waiting[1].save()
    waiting[2].email = "ptp@example.test"
    waiting[2].save()
    batch = services.onboard_ormas(region_admin, waiting)
    result = services.activation_emails_send(region_admin, batch)
    assert result.sent == 2
    assert [u.ormas for u in result.failed] == [waiting[1]]
    assert sorted(m.to[0] for m in mailoutbox) == ["kts@example.test", "ptp@example.test"]
    emailed = ActivationCode.objects.filter(batch=batch, emailed_at__isnull=False)
    assert {c.user.ormas for c in emailed} == {waiting[0], waiting[2]}
    client = Client()
    client.force_login(region_admin)
    response = client.post(reverse("users:batch_email", kwargs={"batch": batch}), follow=True)
    body = response.content.decode()
    assert "Paguyuban Becak Kepanjenkidul (fiktif)" in body
    assert "tidak terkirim" in body.lower() or "gagal" in body.lower()


class DownBackend(locmem.EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_mail_server_that_is_down_is_reported_not_a_500(
    region_admin, waiting, mailoutbox, settings
) -> None:
    settings.EMAIL_BACKEND = "tests.accounts.test_onboarding.DownBackend"
    batch = services.onboard_ormas(region_admin, waiting)
    client = Client()
    client.force_login(region_admin)
    response = client.post(reverse("users:batch_email", kwargs={"batch": batch}), follow=True)
    assert response.status_code == 200
    assert "Karang Taruna Sukorejo (fiktif)" in response.content.decode()
    assert not ActivationCode.objects.filter(batch=batch, emailed_at__isnull=False).exists()


def test_e_mails_of_another_regions_batch_are_refused(region_admin, outside_admin, waiting):
    batch = services.onboard_ormas(region_admin, waiting)
    with pytest.raises(PermissionDenied):
        services.activation_emails_send(outside_admin, batch)


def test_user_create_can_send_the_code_by_e_mail(region_admin, mailoutbox) -> None:
    created = services.user_create(
        region_admin,
        username="penilai_surel",
        name="Penilai",
        email="penilai@example.test",
        role=Role.ASSESSOR,
        region_code="35.72",
        send_code_by_email=True,
    )
    assert mailoutbox[0].to == ["penilai@example.test"]
    assert created.code in mailoutbox[0].body


def test_slips_pdf_holds_each_ormas_username_and_code(region_admin, waiting) -> None:
    batch = services.onboard_ormas(region_admin, waiting)
    codes = list(ActivationCode.objects.filter(batch=batch).select_related("user__ormas"))
    text, pages = _text(slips.slips_pdf(codes))
    assert "Slip aktivasi akun" in text
    assert "sipko.example.test/akun/aktivasi/" in text
    for code in codes:
        assert code.user.ormas.name in text
        assert code.user.username in text
        assert services.format_code(services.code_clear(code)) in text
    assert pages == 1
    more = [OrmasFactory(name=f"Ormas Slip {n} (fiktif)", acronym=f"OS{n}") for n in range(5)]
    services.onboard_ormas(region_admin, more)
    everything = list(ActivationCode.objects.select_related("user__ormas"))
    assert _text(slips.slips_pdf(everything))[1] == 2


def test_activation_mail_and_slips_are_indonesian_whatever_the_admins_language(
    region_admin, waiting, mailoutbox
) -> None:
    """An admin browsing SIPKO in English still hands its ormas Indonesian slips and e-mails
    (the e-mail's date is the tell: Django's own catalog gives English month names)."""
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, tzinfo=dt.UTC), tick=False):
        batch = services.onboard_ormas(region_admin, waiting)
        with translation.override("en"):
            services.activation_emails_send(region_admin, batch)
            text, _pages = _text(
                slips.slips_pdf(ActivationCode.objects.filter(batch=batch).select_related("user"))
            )
    assert "2 Januari 2027" in mailoutbox[0].body
    assert "January" not in mailoutbox[0].body
    assert "2 Januari 2027" in text


def test_slips_never_read_names_as_typst_markup(region_admin) -> None:
    tricky = OrmasFactory(name='Ormas #set text(size: 1pt) "x" $a$ [b] \\ (fiktif)', acronym="OT")
    batch = services.onboard_ormas(region_admin, [tricky])
    text, _pages = _text(slips.slips_pdf(ActivationCode.objects.filter(batch=batch)))
    assert "#set text(size: 1pt)" in text


# --- pages ------------------------------------------------------------------------------------


def test_onboarding_pages_choose_confirm_create_and_download(region_admin, waiting, operator):
    ormas = operator.ormas
    client = Client()
    client.force_login(region_admin)
    url = reverse("users:onboard")
    page = client.get(url).content.decode()
    assert waiting[0].name in page and ormas.name not in page

    response = client.post(url, {"all_active": "on"})
    body = response.content.decode()
    assert response.status_code == 200 and "akan dibuat" in body
    assert waiting[0].name in body and waiting[1].name in body
    assert waiting[2].name not in body  # not active
    assert not User.objects.filter(ormas__in=waiting).exists()  # nothing before confirming

    ids = [str(waiting[0].pk), str(waiting[1].pk)]
    response = client.post(url, {"ormas": ids, "confirm": "1"})
    assert response.status_code == 302
    batch = ActivationCode.objects.get(user__ormas=waiting[0]).batch
    assert response["Location"] == reverse("users:batch", kwargs={"batch": batch})
    assert User.objects.filter(ormas__in=waiting).count() == 2

    page = client.get(response["Location"]).content.decode()
    assert "Unduh slip aktivasi (PDF)" in page
    assert waiting[1].name in page  # listed among those without e-mail
    pdf = client.get(reverse("users:batch_slips", kwargs={"batch": batch}))
    assert pdf["Content-Type"] == "application/pdf"
    assert len(CODE.findall(_text(pdf.content)[0])) == 2


def test_confirming_an_ormas_given_an_account_meanwhile_names_it(region_admin, waiting):
    client = Client()
    client.force_login(region_admin)
    services.onboard_ormas(region_admin, [waiting[0]])
    response = client.post(reverse("users:onboard"), {"ormas": [waiting[0].pk], "confirm": "1"})
    assert response.status_code == 200
    assert "sudah punya akun operator" in response.content.decode()
    assert User.objects.filter(ormas=waiting[0]).count() == 1


def test_a_province_batch_shows_a_city_admin_its_own_accounts_only(
    region_admin, waiting, mailoutbox
) -> None:
    """The province admin onboards ormas of both Blitar regions in one batch; the Kota Blitar
    admin follows the batch link from one of its operators' pages: it sees, prints and e-mails
    its own region's accounts (not a 403), and nothing of Kabupaten Blitar."""
    province = UserFactory(username="admin_prov", role=Role.REGION_ADMIN, region_id="35")
    kab = OrmasFactory(
        name="Paguyuban Jaten (fiktif)", acronym="PJ", region_id="35.05.01.2001", email="pj@x.test"
    )
    batch = services.onboard_ormas(province, [waiting[0], kab])
    client = Client()
    client.force_login(region_admin)
    page = client.get(reverse("users:batch", kwargs={"batch": batch}))
    assert page.status_code == 200
    body = page.content.decode()
    assert waiting[0].name in body and kab.name not in body
    pdf = client.get(reverse("users:batch_slips", kwargs={"batch": batch}))
    assert pdf.status_code == 200
    text, _pages = _text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)
    assert waiting[0].name in text and kab.name not in text
    client.post(reverse("users:batch_email", kwargs={"batch": batch}))
    assert [m.to for m in mailoutbox] == [["kts@example.test"]]
    assert [c.user.ormas for c in services.batch_codes(region_admin, batch)] == [waiting[0]]


def test_batch_email_page_says_who_has_no_address(region_admin, waiting, mailoutbox) -> None:
    batch = services.onboard_ormas(region_admin, waiting)
    client = Client()
    client.force_login(region_admin)
    response = client.post(reverse("users:batch_email", kwargs={"batch": batch}), follow=True)
    body = response.content.decode()
    assert "dikirim ke 1 alamat surel" in body
    assert waiting[1].name in body
    assert len(mailoutbox) == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_admins_onboarding_one_ormas_at_once_make_one_operator(
    region_admin, national_admin
) -> None:
    target = OrmasFactory(name="Perkumpulan Rebutan (fiktif)", acronym="PR")
    outcomes = race(
        lambda: services.onboard_ormas(region_admin, [target]),
        lambda: services.onboard_ormas(national_admin, [target]),
    )
    assert sum(o.ok for o in outcomes) == 1
    assert all(isinstance(e, ValidationError) for e in errors(outcomes))
    assert User.objects.filter(role=Role.OPERATOR, ormas=target).count() == 1


def test_onboarding_pages_work_with_ids_above_a_thousand(region_admin) -> None:
    """Ids go into the form as written: not "12.345" as Indonesian number formatting would
    print them (a national registry's ormas ids are in the hundreds of thousands)."""
    ormas = [
        OrmasFactory(pk=12_345 + n, name=f"Perkumpulan Nomor Besar {n} (fiktif)") for n in range(2)
    ]
    client = Client()
    client.force_login(region_admin)
    choose = client.get(reverse("users:onboard")).content.decode()
    assert 'value="12345"' in choose and "12.345" not in choose
    page = client.post(reverse("users:onboard"), {"all_active": "on"})
    hidden = re.findall(r'name="ormas" value="([^"]+)"', page.content.decode())
    assert sorted(hidden) == ["12345", "12346"]
    response = client.post(reverse("users:onboard"), {"ormas": hidden, "confirm": "1"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert User.objects.filter(ormas__in=ormas, role=Role.OPERATOR).count() == 2
