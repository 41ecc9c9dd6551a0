"""*Akun saya*: what a user sees of its own account and changes there, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from sipko.accounts import own_account
from sipko.accounts.models import AccountEvent


def test_the_page_shows_the_account(operator, ormas) -> None:
    client = Client()
    client.force_login(operator)
    page = client.get(reverse("account")).content.decode()
    assert operator.username in page
    assert "Operator ormas" in page and ormas.name in page
    assert reverse("password_change") in page and reverse("two_factor") in page


def test_a_staff_account_shows_its_region(region_admin) -> None:
    client = Client()
    client.force_login(region_admin)
    page = client.get(reverse("account")).content.decode()
    assert "35.72" in page and "Admin wilayah (Kesbangpol)" in page


def test_changing_the_e_mail_and_the_preference_is_audited(operator) -> None:
    assert operator.email_notifications
    client = Client()
    client.force_login(operator)
    response = client.post(
        reverse("account"),
        {"first_name": "Sekar", "last_name": "Ayu", "email": "sekar@contoh.test"},
    )
    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.email == "sekar@contoh.test"
    assert operator.get_full_name() == "Sekar Ayu"
    assert not operator.email_notifications  # the box was left unticked
    event = AccountEvent.objects.get(user=operator, kind=AccountEvent.Kind.UPDATED)
    assert event.actor == operator
    assert "sekar@contoh.test" not in event.detail  # field names, not personal values
    assert "kirim pemberitahuan lewat surel" in event.detail
    assert operator.history.first().history_user == operator


def test_saving_without_a_change_writes_nothing(operator) -> None:
    client = Client()
    client.force_login(operator)
    client.post(reverse("account"), {"email": "", "email_notifications": "on"})
    assert not AccountEvent.objects.filter(user=operator).exists()


def test_an_invalid_e_mail_is_refused_in_indonesian(operator) -> None:
    client = Client()
    client.force_login(operator)
    response = client.post(
        reverse("account"), {"email": "bukan-surel", "email_notifications": "on"}
    )
    assert response.status_code == 200
    assert "Alamat surel tidak sah." in response.content.decode()
    operator.refresh_from_db()
    assert operator.email == ""
    assert not AccountEvent.objects.filter(user=operator).exists()


def test_the_service_changes_only_the_actor_s_own_account(operator, region_admin) -> None:
    with pytest.raises(PermissionDenied):
        own_account.account_update(
            actor=region_admin, user=operator, changes={"email": "x@contoh.test"}
        )
    with pytest.raises(PermissionDenied):
        own_account.account_update(actor=operator, user=operator, changes={"role": "viewer"})
    with pytest.raises(PermissionDenied):
        own_account.password_set(actor=region_admin, user=operator, password="Apa-Saja-2026")
    operator.refresh_from_db()
    assert operator.email == "" and operator.role == "operator"
    assert operator.check_password("rahasia-uji-123")
