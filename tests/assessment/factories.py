"""Factories and small builders for the assessment tests (instruments, uploads, RPJMD, reports).

Instruments and assessments are made through the services, never by hand, so that their answer
rows and scores are exactly what the application would store; the builders here only supply the
records those services read (officers, documents, programmes, reports) and the files they take.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sipko.accounts.models import Role, User
from sipko.assessment import services
from sipko.assessment.models import Answer, Assessment, Instrument
from sipko.assessment.scoring import IKO_2025_FILE
from sipko.planning.models import Period
from tests.factories import (
    IndicatorFactory,
    ReportFactory,
    RpjmdItemFactory,
    UserFactory,
)

# A hand-written instrument small enough to score by hand (every expected value in the tests
# is worked out from these rules):
#
#   LV  level 1..5 (self, evidence)      s = (v − 1) / 4 × 100
#   YN  yes/no (self)                     ya → 100, tidak → 0
#   BD  banded [0, 10, 20] (self)         < 10 → 0, 10–19 → 50, ≥ 20 → 100
#   RT  ratio, cap 1 (self, N/A allowed)  min(r, 1) × 100
#   AS  level 1..3 (assessor), weight 2   s = (v − 1) / 2 × 100
#
#   D1 = (LV + YN) / 2      D2 = (BD + RT + 2·AS) / 4      index = (D1 + D2) / 2
#   predicates: A ≥ 85, B ≥ 70, C ≥ 55, D below.
SMALL_YAML = """\
code: UJI-KECIL
version: "1"
name: Instrumen uji kecil
decimals: 2
predicates:
  - {code: A, label: Sangat Baik, min: 85}
  - {code: B, label: Baik, min: 70}
  - {code: C, label: Cukup, min: 55}
  - {code: D, label: Kurang, min: 0}
dimensions:
  - code: D1
    name: Dimensi satu
    weight: 1
    indicators:
      - code: LV
        name: Tingkat uji
        type: level
        levels:
          - {value: 1, label: Satu}
          - {value: 2, label: Dua}
          - {value: 3, label: Tiga}
          - {value: 4, label: Empat}
          - {value: 5, label: Lima}
        weight: 1
        source: self
        evidence: true
      - {code: YN, name: Ya atau tidak, type: yesno, weight: 1, source: self}
  - code: D2
    name: Dimensi dua
    weight: 1
    indicators:
      - {code: BD, name: Angka berjenjang, type: banded, thresholds: [0, 10, 20], weight: 1,
         source: self}
      - {code: RT, name: Rasio uji, type: ratio, cap: 1, weight: 1, source: self,
         allow_na: true}
      - code: AS
        name: Nilai penilai
        type: level
        levels:
          - {value: 1, label: Kurang}
          - {value: 2, label: Cukup}
          - {value: 3, label: Baik}
        weight: 2
        source: assessor
"""

SMALL_CODES = ("LV", "YN", "BD", "RT", "AS")

# Two system computations and one self answer, to see how system values are stored:
#   PM youth_share, ratio cap 0.3, N/A *not* allowed   LG legal_status, level 1..4
#   SF yes/no (self)
SYSTEM_YAML = """\
code: UJI-SISTEM
version: "1"
name: Instrumen uji nilai sistem
predicates:
  - {code: B, label: Baik, min: 50}
  - {code: K, label: Kurang, min: 0}
dimensions:
  - code: S
    name: Sistem
    weight: 1
    indicators:
      - {code: PM, name: Pemuda, type: ratio, cap: 0.3, weight: 1, source: system,
         system: youth_share}
      - code: LG
        name: Status hukum
        type: level
        levels:
          - {value: 1, label: Tidak terdaftar}
          - {value: 2, label: Daerah}
          - {value: 3, label: SKT}
          - {value: 4, label: AHU}
        weight: 1
        source: system
        system: legal_status
      - {code: SF, name: Isian sendiri, type: yesno, weight: 1, source: self}
"""

# A minimal document that passes the content check (it starts with the PDF signature).
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "bukti.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def fake_pdf_upload(name: str = "palsu.pdf") -> SimpleUploadedFile:
    """Random bytes wearing a .pdf name and type: refused by content."""
    return SimpleUploadedFile(name, bytes(range(7, 250)) * 3, content_type="application/pdf")


def png_upload(name: str = "foto.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def published_instrument(text: str | bytes, region_code: str | None = None) -> Instrument:
    """Load an instrument file as the `load_instrument --publish` command does."""
    instrument = services.instrument_load(actor=None, text=text, region_code=region_code)
    return services.instrument_publish(actor=None, instrument=instrument)


def default_instrument() -> Instrument:
    return published_instrument(IKO_2025_FILE.read_bytes())


class AssessorFactory(UserFactory):
    """A Kota Blitar assessor (*tim penilai*), not assigned to anything yet."""

    username = factory.Sequence(lambda n: f"penilai{n}")
    role = Role.ASSESSOR
    region_id = "35.72"


class RegionAdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    role = Role.REGION_ADMIN
    region_id = "35.72"


class SasaranFactory(RpjmdItemFactory):
    """An RPJMD *sasaran* a programme can be linked to."""

    level = "sasaran"
    code = factory.Sequence(lambda n: f"S{n}")


class ReportValueFactory(factory.django.DjangoModelFactory):
    """A realised value of a programme indicator, in a report of the same programme."""

    class Meta:
        model = "reporting.ReportValue"

    indicator = factory.SubFactory(IndicatorFactory)
    report = factory.SubFactory(
        ReportFactory, programme=factory.SelfAttribute("..indicator.programme")
    )
    value = Decimal(0)


def verified_report(programme, **fields):
    """A verified activity report of `programme` (only verified reports feed system values)."""
    moment = dt.datetime(2025, 3, 12, 10, tzinfo=dt.UTC)
    fields.setdefault("state", "verified")
    fields.setdefault("first_submitted_at", moment)
    fields.setdefault("submitted_at", moment)
    return ReportFactory(programme=programme, **fields)


@dataclass
class Flow:
    """Drives one assessment through the workflow through the services, as the pages do.

    Every call passes a freshly loaded assessment, like a request would.
    """

    assessment: Assessment
    operator: User
    admin: User
    assessor: User

    def fresh(self) -> Assessment:
        self.assessment.refresh_from_db()
        return self.assessment

    def get(self, code: str) -> Answer:
        return Answer.objects.get(assessment=self.assessment, indicator=code)

    def answer(self, code: str, value: str, *, evidence: bool = False) -> None:
        services.answer_save(actor=self.operator, answer=self.get(code), value=value)
        if evidence:
            self.attach(code)

    def attach(self, code: str) -> None:
        services.answer_file_add(actor=self.operator, answer=self.get(code), upload=pdf_upload())

    def submit(self) -> None:
        services.assessment_submit(actor=self.operator, assessment=self.fresh())

    def assign(self, second: User | None = None) -> None:
        services.assessment_assign(
            actor=self.admin,
            assessment=self.fresh(),
            assessor=self.assessor,
            second_assessor=second,
            declared=True,
        )

    def verify(
        self, code: str, value: str | None = None, reason: str = "", actor: User | None = None
    ) -> None:
        answer = self.get(code)
        services.answer_verify(
            actor=actor or self.assessor,
            answer=answer,
            value=answer.value if value is None else value,
            reason=reason,
        )

    def verify_all(self, values: dict[str, str] | None = None, actor: User | None = None) -> None:
        """Accept every answer, except those given in `values` (changed with a reason)."""
        values = values or {}
        for answer in self.assessment.answers.all():
            if answer.indicator in values:
                self.verify(answer.indicator, values[answer.indicator], "Dicek di lapangan", actor)
            else:
                self.verify(answer.indicator, actor=actor)

    def complete(self) -> None:
        services.assessment_complete(actor=self.assessor, assessment=self.fresh())

    def publish(self, actor: User | None = None) -> None:
        services.assessment_publish(actor=actor or self.admin, assessment=self.fresh())

    def appeal(self, grounds: str = "Nilai rekening bank keliru, kami punya buktinya.", **kw: Any):
        return services.appeal_file(
            actor=self.operator, assessment=self.fresh(), grounds=grounds, **kw
        )


def make_flow(*, instrument: Instrument, period: Period, ormas, operator, admin, assessor) -> Flow:
    services.period_standard_set(actor=admin, period=period, instrument=instrument)
    assessment = services.assessment_open(actor=operator, ormas=ormas, period=period)
    return Flow(assessment=assessment, operator=operator, admin=admin, assessor=assessor)


def fill_small(flow: Flow, *, lv: str = "3", yn: str = "ya", bd: str = "12", rt: str = "3/4"):
    """The ormas answers all four self indicators (with the evidence LV needs)."""
    flow.answer("LV", lv, evidence=True)
    flow.answer("YN", yn)
    flow.answer("BD", bd)
    flow.answer("RT", rt)
