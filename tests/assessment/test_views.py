"""Assessment pages through the Django test client: bad input never gives a 500 or a partial
write, htmx answers swap the card and the score panel, the provisional score stays with the
ormas, and the trace, methodology and YAML pages answer.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.formats import number_format
from openpyxl import load_workbook

from sipko.assessment import services
from sipko.assessment.models import Answer, Appeal, AppealFile, Instrument
from sipko.assessment.models import AssessmentState as S
from sipko.assessment.scoring import IKO_2025_FILE, load_instrument_yaml
from tests.assessment.factories import (
    PDF_BYTES,
    SMALL_CODES,
    Flow,
    fake_pdf_upload,
    fill_small,
    pdf_upload,
)
from tests.factories import OrmasFactory, UserFactory

HTMX = {"HX-Request": "true"}
MARKED = "Periksa kembali isian yang ditandai."


def shows_errors(page: str) -> bool:
    """A form came back with its problems: on a field, or in the alert at its top."""
    return "invalid-feedback" in page or "alert-danger" in page


def url(name: str, flow: Flow, *args: str) -> str:
    return reverse(f"assessment:{name}", args=[flow.assessment.uuid, *args])


def own_values(flow: Flow) -> dict[str, str]:
    return dict(Answer.objects.filter(assessment=flow.assessment).values_list("indicator", "value"))


def indonesian(value: str | Decimal) -> str:
    """A stored decimal as the pages show it: "53.13" → "53,13"."""
    return number_format(Decimal(value), use_l10n=True)


# --- the ormas' answers ------------------------------------------------------------------------

GARBAGE = [
    # (indicator, value, note, the Indonesian message expected on the card)
    ("LV", "9", "", "Pilihan 9 tidak tersedia."),
    ("BD", "-3", "", "Angka tidak boleh negatif"),
    ("BD", "abc", "", "bukan angka"),
    ("BD", "9" * 10_000, "", "Paling banyak 60 karakter"),
    ("RT", "1/0", "", "Target tidak boleh 0"),
    ("RT", "75%", "", "Tulis tanpa persen"),
    ("YN", "mungkin", "", "Pilihan mungkin tidak tersedia."),
    ("YN", "ya", "x" * 5_000, "Paling banyak 2000 karakter"),
]


@pytest.mark.parametrize(("code", "value", "note", "message"), GARBAGE)
def test_garbage_answers_are_refused_on_the_card(client, small_flow, code, value, note, message):
    small_flow.answer("BD", "12")
    client.force_login(small_flow.operator)
    before = own_values(small_flow)

    response = client.post(
        url("answer_save", small_flow, code),
        {f"{code}-value": value, f"{code}-note": note},
        headers=HTMX,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert MARKED in page
    assert message in page.replace("&#x27;", "'")
    assert own_values(small_flow) == before


@pytest.mark.parametrize(("code", "value", "note", "message"), GARBAGE[:4])
def test_garbage_answers_without_htmx_never_fail_or_write(
    client, small_flow, code, value, note, message
):
    client.force_login(small_flow.operator)

    response = client.post(
        url("answer_save", small_flow, code), {f"{code}-value": value, f"{code}-note": note}
    )

    assert response.status_code in (200, 302)
    assert own_values(small_flow) == dict.fromkeys(SMALL_CODES, "")


def test_a_refused_answer_without_htmx_says_why(client, small_flow):
    client.force_login(small_flow.operator)

    response = client.post(url("answer_save", small_flow, "BD"), {"BD-value": "-3"}, follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Angka tidak boleh negatif" in page


def test_an_unknown_indicator_is_not_found(client, small_flow):
    client.force_login(small_flow.operator)

    response = client.post(url("answer_save", small_flow, "XX"), {"XX-value": "1"})

    assert response.status_code == 404


def test_others_cannot_post_answers(client, small_flow, other_operator, viewer, assessor):
    for person, status in ((other_operator, 404), (viewer, 404), (assessor, 404)):
        client.force_login(person)
        response = client.post(url("answer_save", small_flow, "YN"), {"YN-value": "ya"})
        assert response.status_code == status
    assert own_values(small_flow)["YN"] == ""


def test_htmx_answer_returns_the_card_and_the_score_panel_out_of_band(client, small_flow):
    client.force_login(small_flow.operator)

    response = client.post(url("answer_save", small_flow, "YN"), {"YN-value": "ya"}, headers=HTMX)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="ind-YN"' in page
    assert 'id="ind-LV"' not in page  # only the card that changed
    assert 'id="score-panel"' in page
    assert 'hx-swap-oob="true"' in page
    # YN ya → 100, the rest unanswered: D1 = 50, D2 = 0, provisional index 25
    assert indonesian("25.00") in page
    assert own_values(small_flow)["YN"] == "ya"


def test_a_plain_post_answer_redirects_to_the_card(client, small_flow):
    client.force_login(small_flow.operator)

    response = client.post(url("answer_save", small_flow, "BD"), {"BD-value": "12,5"})

    assert response.status_code == 302
    assert response["Location"].endswith("#ind-BD")
    assert own_values(small_flow)["BD"] == "12.5"


# --- verification and reconciliation -----------------------------------------------------------


@pytest.fixture
def in_verification(small_flow: Flow) -> Flow:
    fill_small(small_flow)
    small_flow.submit()
    small_flow.assign()
    return small_flow


def test_a_changed_value_without_reason_is_refused_on_the_card(client, in_verification):
    client.force_login(in_verification.assessor)

    response = client.post(
        url("answer_verify", in_verification, "LV"),
        {"LV-value": "2", "LV-reason": ""},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "Tuliskan alasan karena nilai berbeda" in response.content.decode()
    assert in_verification.get("LV").verified_at is None


BAD_VERIFICATIONS = [("LV", "7"), ("BD", "-1"), ("RT", "2/0"), ("AS", ""), ("BD", "x" * 999)]


def test_garbage_verification_never_fails_or_writes(client, in_verification):
    client.force_login(in_verification.assessor)

    for code, value in BAD_VERIFICATIONS:
        for headers in ({}, HTMX):
            response = client.post(
                url("answer_verify", in_verification, code),
                {f"{code}-value": value, f"{code}-reason": "alasan"},
                headers=headers,
            )
            assert response.status_code == 200, (code, value)
        assert in_verification.get(code).verified_at is None

    assert in_verification.fresh().result["index"] == "0.00"


def test_reconciliation_without_reason_is_refused(client, in_verification, second_assessor):
    flow = in_verification
    services.assessment_assign(
        actor=flow.admin,
        assessment=flow.fresh(),
        assessor=flow.assessor,
        second_assessor=second_assessor,
        declared=True,
    )
    flow.verify_all({"AS": "2"})
    flow.verify_all({"AS": "2", "LV": "4"}, actor=second_assessor)
    flow.complete()
    assert flow.fresh().state == S.RECONCILIATION
    client.force_login(flow.admin)

    for headers in ({}, HTMX):
        response = client.post(
            url("answer_reconcile", flow, "LV"),
            {"LV-value": "4", "LV-reason": ""},
            headers=headers,
        )
        assert response.status_code == 200
    assert MARKED in response.content.decode()  # the htmx card names the problem
    assert flow.get("LV").final_at is None


# --- appeals -----------------------------------------------------------------------------------


def assert_no_appeal(flow: Flow) -> None:
    assert not Appeal.objects.exists()
    assert not AppealFile.objects.exists()
    assert flow.fresh().state == S.PUBLISHED


BAD_APPEALS = [
    # (grounds, attachments, the Indonesian message expected)
    ("Nilainya salah.", [], "paling sedikit 20 karakter"),
    ("Nilai BD kami seharusnya 25 kemitraan.", ["fake"], "Jenis berkas tidak diterima"),
    ("Nilai BD kami seharusnya 25 kemitraan.", ["pdf"] * 6, "Paling banyak 5 lampiran"),
    ("", [], "Wajib diisi."),
    ("x" * 6000, [], "Paling banyak 5000 karakter"),
]


def test_bad_appeals_are_refused_with_a_message(client, published_small):
    client.force_login(published_small.operator)

    for grounds, files, message in BAD_APPEALS:
        uploads = [
            fake_pdf_upload() if kind == "fake" else pdf_upload(f"b{i}.pdf")
            for i, kind in enumerate(files)
        ]
        response = client.post(
            url("appeal", published_small), {"grounds": grounds, "files": uploads}
        )

        assert response.status_code == 200, message
        assert message in response.content.decode()
        assert_no_appeal(published_small)


def test_an_appeal_through_the_page(client, published_small):
    client.force_login(published_small.operator)

    response = client.post(
        url("appeal", published_small),
        {
            "grounds": "Nilai BD kami seharusnya 25 kemitraan.",
            "indicators": ["BD"],
            "files": [pdf_upload()],
        },
    )

    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.indicators, appeal.files.count()) == (["BD"], 1)
    assert published_small.fresh().state == S.APPEAL


BAD_DECISIONS = [
    {"decision": "maybe", "reason": "Pertimbangan."},
    {"decision": "granted", "reason": ""},
    {"decision": "granted", "reason": "Pertimbangan.", "value_LV": "9"},
    {"decision": "granted", "reason": "Pertimbangan.", "value_BD": "-3"},
    {"decision": "granted", "reason": "Pertimbangan.", "value_RT": "1/0"},
    {"decision": "granted", "reason": "Pertimbangan.", "value_BD": "x" * 500},
    {"decision": "granted", "reason": "Pertimbangan."},  # no change at all
    {"decision": "rejected", "reason": "Pertimbangan.", "value_BD": "25"},
]


def test_bad_appeal_decisions_change_nothing(client, published_small, other_admin):
    published_small.appeal()  # all indicators disputed
    client.force_login(other_admin)

    for data in BAD_DECISIONS:
        response = client.post(url("appeal_decide", published_small), data)

        assert response.status_code == 200, data
        assert shows_errors(response.content.decode()), data
        assert Appeal.objects.get().state == "pending"
        assert published_small.fresh().state == S.APPEAL
        assert not Answer.objects.filter(final_at__isnull=False).exists()


def test_an_appeal_decision_through_the_page(client, published_small, other_admin):
    published_small.appeal(indicators=["BD"])
    client.force_login(other_admin)

    response = client.post(
        url("appeal_decide", published_small),
        {"decision": "granted", "reason": "Bukti MoU sah.", "value_BD": "25"},
    )

    assert response.status_code == 302
    assessment = published_small.fresh()
    # BD 25 → 100: D2 = (100 + 75 + 2·50) / 4 = 68.75; index = (75 + 68.75) / 2 = 71.875
    assert (assessment.state, assessment.index) == (S.FINAL, Decimal("71.875"))


# --- instruments -------------------------------------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/x-yaml")


BROKEN = b"""\
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


@pytest.mark.parametrize(
    ("content", "messages"),
    [
        (b"code: [tidak ditutup\n", ["YAML tidak sah"]),
        ("kode: \u00e9l\u00e8ve\n".encode("latin-1") + b"\xff\xfe\xfa", ["harus teks UTF-8"]),
        (
            BROKEN,
            [
                "dimensions[0].weight",
                "dimensions[0].indicators[0].type",
                "dimensions[0].indicators[1].source",
            ],
        ),
        (b"", ["Berkas yang dikirimkan kosong."]),
        (b"- hanya\n- daftar\n", []),
    ],
)
def test_bad_instrument_files_are_listed_and_nothing_is_loaded(
    client, region_admin, content, messages
):
    client.force_login(region_admin)

    response = client.post(
        reverse("assessment:instrument_load"),
        {"file": upload("instrumen.yaml", content), "scope": "35.72"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    for message in messages:
        assert message in page
    assert shows_errors(page)
    assert not Instrument.objects.exists()


def test_a_good_instrument_file_loads_as_a_draft(client, region_admin):
    client.force_login(region_admin)

    response = client.post(
        reverse("assessment:instrument_load"),
        {"file": upload("iko.yaml", IKO_2025_FILE.read_bytes()), "scope": "35.72"},
    )

    assert response.status_code == 302
    instrument = Instrument.objects.get()
    assert (instrument.code, instrument.status, instrument.region_id) == (
        "IKO-DEFAULT",
        "draft",
        "35.72",
    )


def test_the_yaml_export_loads_back_into_the_same_instrument(client, iko, region_admin):
    client.force_login(region_admin)

    response = client.get(reverse("assessment:instrument_yaml", args=[iko.code, iko.version]))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    exported = load_instrument_yaml(response.content)
    assert exported == iko.spec
    assert exported == load_instrument_yaml(IKO_2025_FILE.read_bytes())


# --- what each person sees ---------------------------------------------------------------------


def test_the_provisional_index_is_shown_to_the_ormas_only(
    client, in_verification, region_admin, assessor, operator
):
    assessment = in_verification.fresh()
    # Own values: D1 = (50 + 100) / 2 = 75, D2 = (50 + 75 + 0) / 4 = 31.25 → 53.125 → 53.13
    assert assessment.provisional["index"] == "53.13"
    provisional = indonesian(assessment.provisional["index"])
    assert provisional == "53,13"
    detail = url("detail", in_verification)

    for staff in (region_admin, assessor):
        client.force_login(staff)
        response = client.get(detail)
        assert response.status_code == 200
        page = response.content.decode()
        assert provisional not in page
        assert "Skor sementara" not in page
        assert indonesian(assessment.result["index"]) in page  # the verified score: 0,00

    client.force_login(operator)
    response = client.get(detail)
    assert response.status_code == 200
    page = response.content.decode()
    assert provisional in page
    assert "Skor sementara" in page


def test_the_trace_shows_every_indicator_and_the_inputs_hash(client, verified_small, region_admin):
    client.force_login(region_admin)

    response = client.get(url("trace", verified_small))

    assert response.status_code == 200
    page = response.content.decode()
    for code in SMALL_CODES:
        assert f'data-testid="trace-{code}"' in page
    assessment = verified_small.fresh()
    assert len(assessment.inputs_hash) == 64
    assert assessment.inputs_hash in page
    assert indonesian(assessment.result["index"]) in page  # 65,63


def test_the_trace_warns_when_a_published_result_no_longer_matches(
    client, published_small, region_admin
):
    Answer.objects.filter(assessment=published_small.assessment, indicator="BD").update(
        verified_value="25"
    )
    client.force_login(region_admin)

    page = client.get(url("trace", published_small)).content.decode()

    assert "Dihitung ulang sekarang: berbeda" in page


@pytest.fixture
def three_verified(verified_small, small, region_admin, assessor, private_media):
    """Three verified assessments of the period with different answers, for the statistics."""
    period = verified_small.assessment.period
    for index, (bd, rt, as_) in enumerate((("30", "1/4", "3"), ("5", "1", "1"))):
        ormas = OrmasFactory(name=f"Ormas Statistik {index} (fiktif)")
        operator = UserFactory(role="operator", ormas=ormas)
        flow = Flow(
            assessment=services.assessment_open(actor=operator, ormas=ormas, period=period),
            operator=operator,
            admin=region_admin,
            assessor=assessor,
        )
        fill_small(flow, lv=str(2 + index * 2), yn="tidak" if index else "ya", bd=bd, rt=rt)
        flow.submit()
        flow.assign()
        flow.verify_all({"AS": as_})
        flow.complete()
    return period


def test_the_methodology_page_and_its_exports(client, three_verified, region_admin):
    client.force_login(region_admin)
    pk = three_verified.pk

    page = client.get(reverse("assessment:methodology", args=[pk]))
    csv = client.get(reverse("assessment:methodology_export", args=[pk, "csv"]))
    xlsx = client.get(reverse("assessment:methodology_export", args=[pk, "xlsx"]))

    assert page.status_code == 200
    for code in SMALL_CODES:
        assert code in page.content.decode()
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    assert len(csv.content.decode().strip().splitlines()) > 3  # a header and three ormas at least
    assert xlsx.status_code == 200
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames
    assert client.get(reverse("assessment:methodology_export", args=[pk, "pdf"])).status_code == 404


def test_an_attached_file_is_served_to_the_ormas_but_not_to_a_viewer(
    client, in_verification, viewer
):
    item = in_verification.get("LV").files.get()
    link = reverse("assessment:answer_file", args=[item.uuid])

    client.force_login(in_verification.operator)
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(PDF_BYTES[:8])

    client.force_login(viewer)
    assert client.get(link).status_code == 404
