"""`load_instrument`, `export_instrument` and `compute_scores` (SPEC §6): output, files and exit
codes — 0 on success, 1 on rejected input, 2 on usage errors."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sipko.assessment import services
from sipko.assessment.models import Answer, Instrument, InstrumentStatus
from sipko.assessment.models import AssessmentState as S
from sipko.assessment.scoring import IKO_2025_FILE, load_instrument_yaml
from sipko.registry.models import Ormas
from tests.assessment.factories import Flow, fill_small


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=out, stderr=err)
    return refused.value.returncode, out.getvalue() + str(refused.value), err.getvalue()


BROKEN = """\
code: RUSAK
version: "1"
name: Instrumen rusak
predicates:
  - {code: A, label: Baik, min: 50}
  - {code: D, label: Kurang, min: 0}
dimensions:
  - code: D1
    name: Satu
    weight: -1
    indicators:
      - {code: I1, name: Satu, type: angka, weight: 1, source: self}
      - {code: I2, name: Dua, type: yesno, weight: 1, source: orang}
"""


# --- load_instrument ---------------------------------------------------------------------------


def test_load_instrument_refuses_a_bad_file_listing_every_problem(db, tmp_path):
    path = tmp_path / "rusak.yaml"
    path.write_text(BROKEN, encoding="utf-8")

    code, message, err = fails("load_instrument", str(path))

    assert code == 1
    assert "3 masalah" in message
    for where in (
        "dimensions[0].weight",
        "dimensions[0].indicators[0].type",
        "dimensions[0].indicators[1].source",
    ):
        assert f"- {where}:" in err
    assert not Instrument.objects.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("load_instrument",),
        ("load_instrument", "tidak-ada.yaml"),
        ("load_instrument", str(IKO_2025_FILE), "--region", "99.99"),
    ],
)
def test_load_instrument_usage_errors(db, args):
    code, _message, _err = fails(*args)

    assert code == 2
    assert not Instrument.objects.exists()


def test_load_instrument_loads_a_draft_and_prints_what_it_loaded(db):
    out, _err = run("load_instrument", str(IKO_2025_FILE))

    assert out.strip() == "IKO-DEFAULT 2025.1: Rancangan"
    instrument = Instrument.objects.get()
    assert (instrument.status, instrument.region_id) == (InstrumentStatus.DRAFT, None)
    assert instrument.spec == load_instrument_yaml(IKO_2025_FILE.read_bytes())


def test_load_instrument_publish_for_a_region(db):
    out, _err = run("load_instrument", str(IKO_2025_FILE), "--region", "35.72", "--publish")

    assert out.strip() == "IKO-DEFAULT 2025.1: Berlaku"
    instrument = Instrument.objects.get()
    assert (instrument.status, instrument.region_id) == (InstrumentStatus.PUBLISHED, "35.72")
    assert instrument.published_at is not None

    # The published version can never be loaded over again.
    code, _message, err = fails("load_instrument", str(IKO_2025_FILE), "--region", "35.72")
    assert code == 1
    assert "sudah diberlakukan" in err


# --- export_instrument -------------------------------------------------------------------------


def test_export_instrument_writes_yaml_that_loads_back_equal(iko, tmp_path):
    out, _err = run("export_instrument", "IKO-DEFAULT", "2025.1")
    assert load_instrument_yaml(out) == iko.spec

    target = tmp_path / "iko.yaml"
    out, _err = run("export_instrument", "IKO-DEFAULT", "2025.1", "--out", str(target))
    assert out == ""
    assert load_instrument_yaml(target.read_bytes()) == iko.spec
    assert load_instrument_yaml(target.read_bytes()) == load_instrument_yaml(
        IKO_2025_FILE.read_bytes()
    )


def test_export_instrument_errors(iko):
    assert fails("export_instrument", "IKO-DEFAULT", "1999.9")[0] == 1
    assert fails("export_instrument", "TIDAK-ADA", "1")[0] == 1
    assert fails("export_instrument")[0] == 2
    assert fails("export_instrument", "IKO-DEFAULT")[0] == 2


# --- compute_scores ----------------------------------------------------------------------------


def summary(out: str) -> dict[str, int]:
    lines = out.strip().splitlines()
    return json.loads(lines[-1])


@pytest.mark.parametrize(
    "args",
    [
        ("compute_scores",),
        ("compute_scores", "--period", "abc"),
        ("compute_scores", "--period", "987654"),
    ],
)
def test_compute_scores_usage_errors(db, args):
    assert fails(*args)[0] == 2


def test_compute_scores_recomputes_system_values_and_open_scores(
    iko, assessing_period, ormas, operator, region_admin
):
    services.period_standard_set(actor=region_admin, period=assessing_period, instrument=iko)
    assessment = services.assessment_open(actor=operator, ormas=ormas, period=assessing_period)
    assert Answer.objects.get(assessment=assessment, indicator="KEL1").value == "1"
    # The registry changes behind the assessment's back, and the stored score is lost.
    Ormas.objects.filter(pk=ormas.pk).update(ahu_number="AHU-0001234.AH.01.07.Tahun 2020")
    type(assessment).objects.filter(pk=assessment.pk).update(provisional=None)

    out, _err = run("compute_scores", "--period", str(assessing_period.pk))

    assert summary(out) == {
        "assessments": 1,
        "rescored": 1,
        "changed": 1,
        "frozen": 0,
        "mismatched": 0,
        # KEL1 becomes level 4; KEL3 now needs the six documents of a legal entity: 0/6
        "system_values": 2,
    }
    assert Answer.objects.get(assessment=assessment, indicator="KEL1").value == "4"
    assert Answer.objects.get(assessment=assessment, indicator="KEL3").value == "0/6"
    assessment.refresh_from_db()
    # KEL1 now 100 with weight 30 of KEL's 100; KEL = 30; everything else still 0 or N/A:
    # index = 20 · 30 / 100 = 6 → 6.00
    assert assessment.provisional["index"] == "6.00"

    again, _err = run("compute_scores", "--period", str(assessing_period.pk))
    assert summary(again)["changed"] == 0
    assert summary(again)["system_values"] == 0


def test_compute_scores_leaves_published_results_and_reports_tampering(
    published_small, other_ormas, other_operator, region_admin, assessor
):
    period = published_small.assessment.period
    other = Flow(
        assessment=services.assessment_open(actor=other_operator, ormas=other_ormas, period=period),
        operator=other_operator,
        admin=region_admin,
        assessor=assessor,
    )
    fill_small(other)
    published = published_small.fresh()
    before = (published.result, published.index, published.inputs_hash)

    out, _err = run("compute_scores", "--period", str(period.pk))

    assert summary(out) == {
        "assessments": 2,
        "rescored": 1,
        "changed": 0,
        "frozen": 1,
        "mismatched": 0,
        "system_values": 0,
    }
    published = published_small.fresh()
    assert (published.result, published.index, published.inputs_hash) == before
    assert published.state == S.PUBLISHED

    Answer.objects.filter(assessment=published, indicator="BD").update(verified_value="25")
    code, message, err = fails("compute_scores", "--period", str(period.pk))

    assert code == 1
    assert json.loads(message.strip().splitlines()[0])["mismatched"] == 1
    assert published.ormas.name in err
    published = published_small.fresh()
    assert (published.result, published.index, published.inputs_hash) == before


def test_compute_scores_can_be_limited_to_a_region(
    small, assessing_period, ormas, other_ormas, operator, other_operator, region_admin
):
    services.period_standard_set(actor=region_admin, period=assessing_period, instrument=small)
    services.assessment_open(actor=operator, ormas=ormas, period=assessing_period)  # 35.72.01
    services.assessment_open(actor=other_operator, ormas=other_ormas, period=assessing_period)

    out, _err = run("compute_scores", "--period", str(assessing_period.pk), "--region", "35.72.03")

    assert summary(out)["assessments"] == 1
    assert summary(out)["rescored"] == 1
