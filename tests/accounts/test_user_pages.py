"""The user-management pages: scoped lists, actions shown from the same predicate as the
service, secrets shown once, confirmation before (de)activation."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from sipko.accounts import services
from sipko.accounts.models import AccountEvent, ActivationCode, Role, User
from tests.factories import UserFactory


@pytest.fixture
def admin_client(region_admin) -> Client:
    client = Client()
    client.force_login(region_admin)
    return client


@pytest.fixture
def city_viewer() -> User:
    return UserFactory(username="pemantau_kedua", role=Role.VIEWER, region_id="35.72")


def test_list_shows_the_region_only_and_filters(
    admin_client, operator, other_operator, city_viewer, outside_admin
) -> None:
    malang_viewer = UserFactory(username="pemantau_malang", role=Role.VIEWER, region_id="35.07")
    body = admin_client.get(reverse("users:list")).content.decode()
    for user in (operator, other_operator, city_viewer):
        assert user.username in body
    assert malang_viewer.username not in body and outside_admin.username not in body
    assert "Buat akun ormas (onboarding)" in body and "Tambah pengguna" in body

    body = admin_client.get(reverse("users:list"), {"role": Role.OPERATOR}).content.decode()
    assert operator.username in body and city_viewer.username not in body
    body = admin_client.get(reverse("users:list"), {"q": "Kendang"}).content.decode()
    assert operator.username in body and other_operator.username not in body


def test_status_filter(admin_client, region_admin, city_viewer, operator) -> None:
    services.user_deactivate(region_admin, city_viewer)
    fresh = services.user_create(
        region_admin,
        username="belum_aktif",
        name="",
        email="",
        role=Role.ASSESSOR,
        region_code="35.72",
    ).user
    operator.activated_at = operator.date_joined
    operator.save()
    url = reverse("users:list")
    body = admin_client.get(url, {"status": "nonaktif"}).content.decode()
    assert city_viewer.username in body and fresh.username not in body
    body = admin_client.get(url, {"status": "belum_aktivasi"}).content.decode()
    assert fresh.username in body and operator.username not in body
    body = admin_client.get(url, {"status": "aktif"}).content.decode()
    assert operator.username in body and fresh.username not in body


def test_detail_shows_actions_and_trail_but_not_on_oneself(
    admin_client, region_admin, city_viewer
) -> None:
    services.user_update(region_admin, city_viewer, name="Rina")
    body = admin_client.get(reverse("users:detail", kwargs={"pk": city_viewer.pk})).content
    body = body.decode()
    assert 'data-testid="user-actions"' in body
    assert "Akun diubah" in body and "oleh admin_kota" in body
    own = admin_client.get(reverse("users:detail", kwargs={"pk": region_admin.pk})).content
    assert 'data-testid="user-actions"' not in own.decode()
    assert (
        admin_client.get(reverse("users:edit", kwargs={"pk": region_admin.pk})).status_code == 403
    )


def test_outside_accounts_are_not_found(admin_client, outside_admin) -> None:
    response = admin_client.get(reverse("users:detail", kwargs={"pk": outside_admin.pk}))
    assert response.status_code == 404


def test_create_shows_the_code_once(admin_client, region_admin) -> None:
    response = admin_client.post(
        reverse("users:create"),
        {
            "username": "penilai_baru",
            "name": "Sri",
            "email": "",
            "role": Role.ASSESSOR,
            "region": "35.72",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    user = User.objects.get(username="penilai_baru")
    code = ActivationCode.objects.get(user=user)
    clear = services.format_code(services.code_clear(code))
    assert clear in body
    assert "no-store" in response["Cache-Control"]
    detail = admin_client.get(reverse("users:detail", kwargs={"pk": user.pk})).content.decode()
    assert clear not in detail and "Berlaku" in detail


def test_create_form_offers_only_grantable_roles_and_refuses_a_wider_region(admin_client):
    body = admin_client.get(reverse("users:create")).content.decode()
    assert 'value="national_admin"' not in body
    response = admin_client.post(
        reverse("users:create"),
        {"username": "x9", "name": "", "email": "", "role": Role.VIEWER, "region": "35"},
    )
    assert response.status_code == 200  # not a choice: the form says so, nothing written
    assert not User.objects.filter(username="x9").exists()


def test_edit_page_saves(admin_client, city_viewer) -> None:
    response = admin_client.post(
        reverse("users:edit", kwargs={"pk": city_viewer.pk}),
        {"name": "Nama Baru", "email": "baru@example.test", "role": Role.VIEWER, "region": "35.72"},
    )
    assert response.status_code == 302
    city_viewer.refresh_from_db()
    assert city_viewer.get_full_name() == "Nama Baru"


def test_deactivation_asks_first(admin_client, city_viewer) -> None:
    url = reverse("users:deactivate", kwargs={"pk": city_viewer.pk})
    assert "Ya, lanjutkan" in admin_client.get(url).content.decode()
    assert User.objects.get(pk=city_viewer.pk).is_active
    admin_client.post(url)
    assert not User.objects.get(pk=city_viewer.pk).is_active
    admin_client.post(reverse("users:reactivate", kwargs={"pk": city_viewer.pk}))
    assert User.objects.get(pk=city_viewer.pk).is_active


def test_temporary_password_shown_once(admin_client, city_viewer) -> None:
    url = reverse("users:temporary_password", kwargs={"pk": city_viewer.pk})
    assert 'data-testid="temporary-password"' not in admin_client.get(url).content.decode()
    response = admin_client.post(url)
    body = response.content.decode()
    start = body.index('data-testid="temporary-password">') + len(
        'data-testid="temporary-password">'
    )
    password = body[start : body.index("<", start)]
    city_viewer.refresh_from_db()
    assert city_viewer.check_password(password) and city_viewer.must_change_password
    assert "no-store" in response["Cache-Control"]


def test_issue_a_code_and_print_its_slip(admin_client, operator) -> None:
    response = admin_client.post(reverse("users:code_issue", kwargs={"pk": operator.pk}))
    body = response.content.decode()
    code = services.format_code(services.code_clear(ActivationCode.objects.get(user=operator)))
    assert code in body
    slip = admin_client.get(reverse("users:code_slip", kwargs={"pk": operator.pk}))
    assert slip["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(slip.content)).pages[0].extract_text()
    assert code in text and operator.ormas.name in text
    assert AccountEvent.objects.filter(user=operator, kind=AccountEvent.Kind.CODE_ISSUED).exists()


def test_viewer_cannot_open_user_pages(viewer, operator) -> None:
    client = Client()
    client.force_login(viewer)
    assert client.get(reverse("users:list")).status_code == 403
    assert client.post(reverse("users:code_issue", kwargs={"pk": operator.pk})).status_code == 403
    assert not ActivationCode.objects.exists()


def test_two_factor_reset_offered_only_when_the_account_has_a_device(admin_client, city_viewer):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    url = reverse("users:detail", kwargs={"pk": city_viewer.pk})
    assert "Setel ulang verifikasi dua langkah" not in admin_client.get(url).content.decode()
    TOTPDevice.objects.create(user=city_viewer, name="ponsel", confirmed=True)
    body = admin_client.get(url).content.decode()
    assert "Setel ulang verifikasi dua langkah" in body
    assert reverse("two_factor_reset", kwargs={"pk": city_viewer.pk}) in body
