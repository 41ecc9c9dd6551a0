"""Django admin shows planning records read-only: changes go through SIPKO's own pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sipko.accounts.models import User


@pytest.mark.parametrize(
    "model", ["rpjmd", "rpjmditem", "period", "programme", "programmeindicator"]
)
def test_planning_admin_is_read_only(model, programme) -> None:
    superuser = User.objects.create_superuser("super", "super@example.test", "x")
    client = Client()
    client.force_login(superuser)
    assert client.get(reverse(f"admin:planning_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:planning_{model}_add")).status_code == 403


def test_programme_change_page_shows_indicators(programme) -> None:
    superuser = User.objects.create_superuser("super", "super@example.test", "x")
    client = Client()
    client.force_login(superuser)
    page = client.get(reverse("admin:planning_programme_change", args=[programme.pk]))
    assert page.status_code == 200 and "Peserta pelatihan" in page.content.decode()
