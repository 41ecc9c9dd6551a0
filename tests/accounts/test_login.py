from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD


def _attempt(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_with_the_right_password(region_admin) -> None:
    response = _attempt(Client(), region_admin.username, PASSWORD)
    assert response.status_code == 302


def test_wrong_password_says_so_in_indonesian(region_admin) -> None:
    response = _attempt(Client(), region_admin.username, "salah")
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password(
    region_admin, settings
) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, region_admin.username, "salah")
    response = _attempt(client, region_admin.username, PASSWORD)
    assert response.status_code == 429
    assert "dikunci sementara" in response.content.decode()
    assert "_auth_user_id" not in client.session
