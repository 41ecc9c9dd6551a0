"""Hostile files on the assessment pages and commands: a pixel bomb as answer evidence, an
alias bomb as an instrument. A short message in Indonesian, nothing stored, never a 500."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from sipko.assessment.models import AnswerFile, Instrument
from sipko.assessment.scoring import IKO_2025_FILE
from tests.hostile import billion_laughs, declared_png


def test_a_pixel_bomb_as_answer_evidence_is_refused_with_a_message(client, small_flow) -> None:
    small_flow.answer("LV", "3")
    client.force_login(small_flow.operator)
    bomb = SimpleUploadedFile("IMG_0004.png", declared_png(13_000, 13_000), "image/png")

    response = client.post(
        reverse("assessment:answer_file_add", args=[small_flow.assessment.uuid, "LV"]),
        {"LV-file": bomb},
        follow=True,
    )

    assert response.status_code == 200
    assert "Gambar terlalu besar (13.000 × 13.000 piksel)" in response.content.decode()
    assert not AnswerFile.objects.exists()


def test_the_instrument_page_answers_an_alias_bomb_in_one_short_line(client, region_admin):
    client.force_login(region_admin)

    response = client.post(
        reverse("assessment:instrument_load"),
        {
            "file": SimpleUploadedFile("bom.yaml", billion_laughs(levels=12).encode()),
            "scope": "35.72",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Baris 1 memakai anchor atau alias YAML" in page
    assert len(page) < 100_000 and page.count("lol") < 5
    assert not Instrument.objects.exists()


def test_load_instrument_refuses_an_alias_bomb_with_exit_1(tmp_path: Path) -> None:
    bomb = tmp_path / "bom.yaml"
    bomb.write_text(billion_laughs())
    err = StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("load_instrument", str(bomb), stdout=StringIO(), stderr=err)

    assert refused.value.returncode == 1
    assert "anchor atau alias" in err.getvalue()
    assert not Instrument.objects.exists()


def test_a_nul_spelled_in_the_instrument_file_never_reaches_the_database(client, region_admin):
    text = IKO_2025_FILE.read_text().replace(
        "name: Indeks Kinerja Ormas", 'name: "Indeks\\0Kinerja"', 1
    )
    client.force_login(region_admin)

    response = client.post(
        reverse("assessment:instrument_load"),
        {"file": SimpleUploadedFile("nol.yaml", text.encode()), "scope": "35.72"},
    )

    assert response.status_code == 200
    assert "karakter kendali" in response.content.decode()
    assert not Instrument.objects.exists()
