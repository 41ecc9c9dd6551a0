"""Edit forms carry the version they were opened at; a stale one is refused with what changed.

Before, two officers who opened the same ormas and saved one after the other silently lost the
first one's change: the second form wrote its old values back.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sipko.lib.versions import edit_version
from sipko.planning import services as planning
from sipko.registry import services
from sipko.registry.models import Ormas
from sipko.reporting import services as reporting
from tests.factories import ProgrammeFactory, ReportFactory


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form_data(response) -> dict[str, Any]:
    """What the browser would send back for the form as rendered (every field's value)."""
    data: dict[str, Any] = {}
    for bound in response.context["form"]:
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        data[bound.html_name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


def test_a_stale_ormas_form_is_refused_and_names_what_changed(ormas, region_admin, operator):
    url = reverse("registry:edit", kwargs={"uuid": ormas.uuid})
    admin, own = _client(region_admin), _client(operator)
    admin_form, operator_form = _form_data(admin.get(url)), _form_data(own.get(url))
    assert admin_form["version"] == operator_form["version"] == edit_version(ormas)

    first = admin.post(url, {**admin_form, "address": "Jl. Merdeka 12, Blitar"})
    assert first.status_code == 302

    second = own.post(url, {**operator_form, "email": "sekretariat@contoh.id"})

    assert second.status_code == 200
    body = second.content.decode()
    assert "setelah formulir ini Anda buka" in body
    assert "Alamat" in body and "Jl. Merdeka 12, Blitar" in body
    ormas.refresh_from_db()
    assert ormas.address == "Jl. Merdeka 12, Blitar"  # the first change is kept
    assert ormas.email != "sekretariat@contoh.id"  # the stale one is not written

    # Reloading gives the current version, and the save goes through.
    again = _form_data(own.get(url))
    assert own.post(url, {**again, "email": "sekretariat@contoh.id"}).status_code == 302
    ormas.refresh_from_db()
    assert (ormas.address, ormas.email) == ("Jl. Merdeka 12, Blitar", "sekretariat@contoh.id")


def test_a_form_opened_at_the_current_version_saves(ormas, region_admin):
    url = reverse("registry:edit", kwargs={"uuid": ormas.uuid})
    client = _client(region_admin)
    data = _form_data(client.get(url))
    assert client.post(url, {**data, "acronym": "PSK"}).status_code == 302
    assert client.post(url, {**data, "acronym": "PSKB"}).status_code == 200  # now stale
    ormas.refresh_from_db()
    assert ormas.acronym == "PSK"


def test_services_refuse_stale_versions_of_programmes_reports_and_officers(
    ormas, operator, region_admin, period
):
    programme = ProgrammeFactory(ormas=ormas, period=period, state="draft")
    version = edit_version(programme)
    planning.programme_save(
        actor=region_admin, ormas=ormas, data={"title": "Judul baru"}, programme=programme
    )
    with pytest.raises(ValidationError, match="setelah formulir ini Anda buka"):
        planning.programme_save(
            actor=operator,
            ormas=ormas,
            data={"title": "Judul lama"},
            programme=programme,
            version=version,
        )

    report = ReportFactory(programme=programme, state="draft")
    reporting.report_save(actor=operator, programme=programme, data={}, report=report)
    stale = edit_version(report)
    reporting.report_save(
        actor=region_admin, programme=programme, data={"title": "Diperbaiki"}, report=report
    )
    with pytest.raises(ValidationError, match="Nama kegiatan → Diperbaiki"):
        reporting.report_save(
            actor=operator, programme=programme, data={}, report=report, version=stale
        )

    officer = services.pengurus_save(
        actor=operator, ormas=ormas, data={"name": "Sari", "position": "ketua"}
    )
    stale = edit_version(officer)
    services.pengurus_save(
        actor=region_admin, ormas=ormas, data={"name": "Sari W."}, pengurus=officer
    )
    with pytest.raises(ValidationError):
        services.pengurus_save(
            actor=operator, ormas=ormas, data={"name": "Sari"}, pengurus=officer, version=stale
        )


def test_personal_values_are_not_quoted_in_the_refusal(ormas, region_admin):
    version = edit_version(ormas)
    services.ormas_save(actor=region_admin, ormas=ormas, data={"phone": "+6281234567890"})
    with pytest.raises(ValidationError) as refused:
        services.ormas_save(actor=region_admin, ormas=ormas, data={}, version=version)
    text = " ".join(refused.value.messages)
    assert "Telepon kantor" in text
    assert "81234567890" not in text
    assert Ormas.objects.get(pk=ormas.pk).phone == "+6281234567890"
