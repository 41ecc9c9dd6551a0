"""The Django admin: the national administrator's tool, writing through the same services."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from sipko.accounts.models import Role
from sipko.registry.models import Assignment
from tests.factories import UserFactory


def test_an_assignment_added_in_the_admin_goes_through_the_service(national_admin, ormas):
    national_admin.is_staff = national_admin.is_superuser = True
    national_admin.save()
    assessor = UserFactory(username="penilai_admin", role=Role.ASSESSOR, region_id="35.72")
    client = Client()
    client.force_login(national_admin)

    response = client.post(
        reverse("admin:registry_assignment_add"), {"assessor": assessor.pk, "ormas": ormas.pk}
    )

    assert response.status_code == 302
    assignment = Assignment.objects.get(assessor=assessor, ormas=ormas)
    assert assignment.assigned_by == national_admin  # set by `assignment_create`
    change = reverse("admin:registry_assignment_change", args=[assignment.pk])
    page = client.get(change).content.decode()
    assert 'name="_save"' not in page  # made or removed, never edited into another one


def test_a_regional_staff_account_cannot_open_the_admin(region_admin):
    region_admin.is_staff = True
    region_admin.save()
    client = Client()
    client.force_login(region_admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
