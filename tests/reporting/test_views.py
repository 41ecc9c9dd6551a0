"""Activity report pages: every role, bad input answered in Indonesian without a 500 or a partial
write, the submit/verify/return workflow, and what changed since a report was returned.

The `period` fixture is Kota Blitar 2025; `programme` is an accepted programme of `ormas` in it
with one indicator ("Peserta pelatihan", target 100 orang).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from sipko.accounts.models import Role
from sipko.planning.models import PeriodState
from sipko.registry.models import Assignment
from sipko.reporting import services
from sipko.reporting.models import ActivityReport, ReportState, ReportValue
from sipko.workflow.engine import state_log
from tests.access.reporting import image_upload
from tests.factories import (
    IndicatorFactory,
    PeriodFactory,
    ProgrammeFactory,
    ReportFactory,
    UserFactory,
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create_url(programme) -> str:
    return f"{reverse('reporting:report_create')}?program={programme.uuid}"


def form_data(programme, **changes) -> dict[str, str]:
    """A complete, valid report form for `programme` (its first indicator gets 25)."""
    indicator = programme.indicators.first()
    data = {
        "title": "Pelatihan kader posyandu (fiktif)",
        "start_date": "2025-03-10",
        "end_date": "2025-03-11",
        "location": "35.72.01.1001",
        "location_detail": "Balai kelurahan",
        "narrative": "Tiga puluh kader dilatih menimbang dan mencatat tumbuh kembang balita.",
        "male_under16": "0",
        "male_youth": "8",
        "male_over30": "4",
        "female_under16": "",
        "female_youth": "12",
        "female_over30": "6",
        "cost": "Rp 1.500.000",
        f"value_{indicator.pk}": "25",
    }
    data.update(changes)
    return data


@pytest.fixture
def returned_report(programme, operator, assessor):
    report = ReportFactory(programme=programme, title="Kegiatan dikembalikan (fiktif)")
    services.report_save(
        actor=operator,
        programme=programme,
        data={},
        values={programme.indicators.first(): Decimal(10)},
        report=report,
    )
    services.report_submit(actor=operator, report=report)
    services.report_review(
        actor=assessor, report=report, verify=False, reason="Foto kegiatan belum ada."
    )
    return report


# --- list --------------------------------------------------------------------------------------


def test_operator_list_shows_own_reports_with_states_and_the_report_button(
    operator, programme, other_ormas, period
) -> None:
    ReportFactory(programme=programme, title="Kegiatan Kami (fiktif)")
    neighbour = ProgrammeFactory(ormas=other_ormas, period=period)
    ReportFactory(programme=neighbour, title="Kegiatan Tetangga (fiktif)")
    response = client_for(operator).get(reverse("reporting:report_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kegiatan Kami (fiktif)" in body and "Kegiatan Tetangga (fiktif)" not in body
    assert "Laporkan kegiatan" in body and 'data-testid="new-report"' in body
    assert "report-state-draft" in body
    assert [r.title for r in response.context["page"]] == ["Kegiatan Kami (fiktif)"]


def test_staff_filters_by_period_state_and_kecamatan(
    region_admin, programme, other_ormas, period
) -> None:
    mine = ReportFactory(programme=programme, title="Laporan Kepanjenkidul")
    neighbour = ProgrammeFactory(ormas=other_ormas, period=period)
    theirs = ReportFactory(programme=neighbour, title="Laporan Sanankulon", state="submitted")
    older = PeriodFactory(name="Periode 2024 (uji)", start=dt.date(2024, 1, 1))
    ReportFactory(
        programme=ProgrammeFactory(ormas=other_ormas, period=older),
        title="Laporan Lama",
        start_date=dt.date(2024, 3, 1),
        end_date=dt.date(2024, 3, 1),
    )
    client = client_for(region_admin)
    url = reverse("reporting:report_list")

    def titles(**query) -> set[str]:
        return {r.title for r in client.get(url, query).context["page"]}

    assert titles() == {"Laporan Kepanjenkidul", "Laporan Sanankulon", "Laporan Lama"}
    assert titles(periode=period.pk) == {mine.title, theirs.title}
    assert titles(state="submitted") == {theirs.title}
    assert titles(kecamatan="35.72.01") == {mine.title}
    assert titles(q="laporan sanan") == {theirs.title}
    # Tampered filters narrow nothing and never fail.
    assert len(titles(periode="abc", state="nonsense", kecamatan="99")) == 3
    assert len(titles(periode="9" * 30, page="x")) == 3
    partial = client.get(url, {"state": "submitted"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()


def test_verification_queue_for_region_admin_and_assigned_assessor_only(
    region_admin, assessor, viewer, programme, other_ormas, period
) -> None:
    waiting = ReportFactory(programme=programme, title="Menunggu verifikasi", state="submitted")
    unassigned = ProgrammeFactory(ormas=other_ormas, period=period)
    ReportFactory(programme=unassigned, title="Milik ormas lain", state="submitted")
    queue = {
        user.username: [
            r.title for r in client_for(user).get(reverse("reporting:report_list")).context["queue"]
        ]
        for user in (region_admin, assessor, viewer)
    }
    assert sorted(queue[region_admin.username]) == ["Menunggu verifikasi", "Milik ormas lain"]
    assert queue[assessor.username] == [waiting.title]
    assert queue[viewer.username] == []


# --- create and edit ---------------------------------------------------------------------------


def test_operator_with_one_programme_gets_the_form_and_files_a_draft(operator, programme) -> None:
    client = client_for(operator)
    page = client.get(reverse("reporting:report_create"))
    assert page.status_code == 200 and page.context["programme"] == programme
    body = page.content.decode()
    assert f'data-draft-key="u{operator.pk}:report-new-{programme.uuid}"' in body
    assert 'name="male_youth"' in body and "sipko/drafts.js" in body

    response = client.post(create_url(programme), form_data(programme))
    report = ActivityReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:report_detail", args=[report.uuid]) + "#bukti"
    assert report.state == ReportState.DRAFT and report.cost == 1_500_000
    assert (report.participants, report.youth, report.female_under16) == (30, 20, 0)
    assert ReportValue.objects.get(report=report).value == Decimal(25)
    assert report.history.first().history_user == operator

    detail = client.get(response["Location"]).content.decode()
    assert f'data-clear-draft="u{operator.pk}:report-new-{programme.uuid}"' in detail
    assert "Pelatihan kader posyandu (fiktif)" in detail and "Rp 1.500.000" in detail
    assert 'capture="environment"' in detail and 'accept="image/*"' in detail
    # The marker is shown once: a later visit must not clear a newer draft.
    assert "data-clear-draft" not in client.get(response["Location"]).content.decode()


def test_chooser_lists_only_accepted_programmes_of_open_periods(operator, ormas, programme) -> None:
    ProgrammeFactory(ormas=ormas, period=programme.period, title="Program Kedua")
    ProgrammeFactory(ormas=ormas, period=programme.period, title="Program Draf", state="draft")
    closed = PeriodFactory(name="Periode Tutup", state=PeriodState.CLOSED)
    ProgrammeFactory(ormas=ormas, period=closed, title="Program Periode Tutup")
    client = client_for(operator)
    response = client.get(reverse("reporting:report_create"))
    titles = {p.title for p in response.context["programmes"]}
    assert titles == {"Program Uji Operator", "Program Kedua"}
    draft = ormas.programmes.get(title="Program Draf")
    refused = client.get(reverse("reporting:report_create"), {"program": str(draft.uuid)})
    assert refused.status_code == 200
    assert "hanya dapat dibuat untuk program yang sudah diterima" in refused.content.decode()
    assert (
        client.get(reverse("reporting:report_create"), {"program": "bukan-uuid"}).status_code == 404
    )


def test_operator_cannot_file_for_another_ormas_programme(operator, other_ormas, period) -> None:
    foreign = ProgrammeFactory(ormas=other_ormas, period=period)
    IndicatorFactory(programme=foreign)
    client = client_for(operator)
    url = reverse("reporting:report_create") + f"?program={foreign.uuid}"
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(foreign)).status_code == 404
    assert not ActivityReport.objects.exists()


def test_viewer_and_assessor_cannot_file(viewer, assessor, programme) -> None:
    for user in (viewer, assessor):
        url = reverse("reporting:report_create") + f"?program={programme.uuid}"
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, form_data(programme)).status_code == 403
    assert not ActivityReport.objects.exists()


BAD_INPUT = [
    ({"start_date": "2024-12-01", "end_date": "2024-12-02"}, "harus di dalam “Periode Penilaian"),
    ({"start_date": "2025-03-10", "end_date": "2025-03-01"}, "tidak boleh sebelum tanggal mulai"),
    ({"start_date": "10/13/2025"}, "Tanggal tidak sah"),
    ({"start_date": "1025-01-01"}, "Tanggal harus antara tahun"),
    ({"male_youth": "-3"}, "lebih besar dari atau sama dengan 0"),
    ({"female_over30": "99999999999999999999999"}, "Jumlah peserta tidak masuk akal"),
    ({"male_under16": "dua"}, "Isi dengan bilangan bulat"),
    ({"cost": "-5000"}, "lebih besar dari atau sama dengan 0"),
    ({"cost": "9" * 30}, "Jumlah ini terlalu besar"),
    ({"cost": "lima ribu"}, "Masukkan sebuah bilangan"),
    ({"location": "35.05.01.2001"}, "di luar cakupan"),
    ({"location": "35.72.99"}, "Wilayah tidak dikenal"),
    ({"title": "", "narrative": ""}, "Wajib diisi"),
    ({"title": "x" * 500}, "Paling banyak 200 karakter"),
    ({"narrative": "panjang " * 5000}, "Paling banyak 10000 karakter"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUT)
def test_bad_report_input_is_answered_in_indonesian_and_writes_nothing(
    operator, programme, changes, message
) -> None:
    response = client_for(operator).post(create_url(programme), form_data(programme, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ActivityReport.objects.exists() and not ReportValue.objects.exists()


def test_activity_that_has_not_happened_yet_cannot_be_reported(operator, programme) -> None:
    with time_machine.travel(dt.datetime(2025, 6, 1, 3, tzinfo=dt.UTC), tick=False):
        response = client_for(operator).post(
            create_url(programme),
            form_data(programme, start_date="2025-05-30", end_date="2025-06-20"),
        )
    assert response.status_code == 200
    assert "hanya untuk kegiatan yang sudah terlaksana" in response.content.decode()
    assert not ActivityReport.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "lebih besar dari atau sama dengan 0"),
        ("1" * 20, "tidak melebihi 14 angka"),
        ("1.234", "lebih dari 2 angka desimal"),
        ("NaN", "Masukkan sebuah bilangan"),
    ],
)
def test_bad_indicator_values_write_nothing(operator, programme, value, message) -> None:
    indicator = programme.indicators.first()
    response = client_for(operator).post(
        create_url(programme), form_data(programme, **{f"value_{indicator.pk}": value})
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not ActivityReport.objects.exists()


def test_value_for_an_indicator_of_another_programme_is_refused(
    operator, programme, ormas, period
) -> None:
    other_programme = ProgrammeFactory(ormas=ormas, period=period)
    foreign = IndicatorFactory(programme=other_programme)
    data = form_data(programme, **{f"value_{foreign.pk}": "999"})
    response = client_for(operator).post(create_url(programme), data)
    assert response.status_code == 200
    assert "bukan milik program ini" in response.content.decode()
    assert not ActivityReport.objects.exists() and not ReportValue.objects.exists()


def test_decimal_comma_in_indicator_value_is_understood(operator, programme) -> None:
    indicator = programme.indicators.first()
    client_for(operator).post(
        create_url(programme), form_data(programme, **{f"value_{indicator.pk}": "12,5"})
    )
    assert ReportValue.objects.get().value == Decimal("12.5")


def test_edit_changes_values_and_clears_an_emptied_value(operator, programme) -> None:
    client = client_for(operator)
    client.post(create_url(programme), form_data(programme))
    report = ActivityReport.objects.get()
    indicator = programme.indicators.first()
    url = reverse("reporting:report_edit", args=[report.uuid])
    page = client.get(url).content.decode()
    assert 'value="25"' in page and f'data-draft-key="u{operator.pk}:report-{report.uuid}"' in page
    response = client.post(
        url, form_data(programme, title="Judul baru", **{f"value_{indicator.pk}": ""})
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "Judul baru" and not report.values.exists()


def test_submitted_report_cannot_be_edited(operator, programme) -> None:
    report = ReportFactory(programme=programme, title="Sudah diajukan")
    services.report_submit(actor=operator, report=report)
    client = client_for(operator)
    url = reverse("reporting:report_edit", args=[report.uuid])
    response = client.get(url, follow=True)
    assert "tidak dapat diubah" in response.content.decode()
    client.post(url, form_data(programme, title="Diubah diam-diam"))
    report.refresh_from_db()
    assert report.title == "Sudah diajukan"


def test_closed_period_freezes_reports(operator, programme) -> None:
    report = ReportFactory(programme=programme, title="Beku")
    programme.period.state = PeriodState.CLOSED
    programme.period.save()
    client = client_for(operator)
    response = client.post(
        reverse("reporting:report_edit", args=[report.uuid]), form_data(programme), follow=True
    )
    assert "sudah ditutup" in response.content.decode()
    report.refresh_from_db()
    assert report.title == "Beku"
    response = client.post(reverse("reporting:report_submit", args=[report.uuid]), follow=True)
    assert "sudah ditutup" in response.content.decode()
    assert ActivityReport.objects.get().state == ReportState.DRAFT


# --- submit and review -------------------------------------------------------------------------


def test_submit_then_submit_again_is_refused_politely(operator, programme) -> None:
    report = ReportFactory(programme=programme)
    client = client_for(operator)
    url = reverse("reporting:report_submit", args=[report.uuid])
    first = client.post(url, follow=True)
    assert "diajukan ke Kesbangpol" in first.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.first_submitted_at is not None
    second = client.post(url, follow=True)
    assert second.status_code == 200
    assert "tidak dapat dilakukan pada laporan berstatus Diajukan" in second.content.decode()
    assert client.get(url).status_code == 405


def test_submit_needs_a_narrative_and_an_accepted_programme(operator, ormas, period) -> None:
    report = ReportFactory(programme=ProgrammeFactory(ormas=ormas, period=period), narrative=" ")
    response = client_for(operator).post(
        reverse("reporting:report_submit", args=[report.uuid]), follow=True
    )
    assert "Isi uraian kegiatan sebelum mengajukan" in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_return_requires_a_reason(assessor, operator, programme) -> None:
    report = ReportFactory(programme=programme)
    services.report_submit(actor=operator, report=report)
    client = client_for(assessor)
    url = reverse("reporting:report_review", args=[report.uuid])
    response = client.post(url, {"decision": "return", "reason": "   "})
    assert response.status_code == 200
    assert "Alasan wajib diisi bila laporan dikembalikan" in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert client.post(url, {"decision": "hapus"}).status_code == 200
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED

    response = client.post(url, {"decision": "return", "reason": "Daftar hadir belum dilampirkan."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    assert report.return_reason == "Daftar hadir belum dilampirkan."
    page = client_for(operator).get(reverse("reporting:report_detail", args=[report.uuid]))
    body = page.content.decode()
    assert "Daftar hadir belum dilampirkan." in body and 'data-testid="return-reason"' in body
    assert "Ajukan kembali" in body


def test_verify_by_region_admin_and_wrong_state_actions(region_admin, operator, programme) -> None:
    report = ReportFactory(programme=programme)
    client = client_for(region_admin)
    url = reverse("reporting:report_review", args=[report.uuid])
    # A draft is not waiting for a decision.
    response = client.post(url, {"decision": "verify"}, follow=True)
    assert response.status_code == 200
    assert "tidak dapat dilakukan pada laporan berstatus Draf" in response.content.decode()
    services.report_submit(actor=operator, report=report)
    assert client.post(url, {"decision": "verify"}).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.VERIFIED and report.verified_by == region_admin
    again = client.post(url, {"decision": "return", "reason": "Terlambat"}, follow=True)
    assert "tidak dapat dilakukan pada laporan berstatus Terverifikasi" in again.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.VERIFIED


def test_only_region_admins_and_assigned_assessors_review(
    operator, viewer, programme, other_ormas
) -> None:
    report = ReportFactory(programme=programme)
    services.report_submit(actor=operator, report=report)
    stranger = UserFactory(username="penilai_lain", role=Role.ASSESSOR, region_id="35.72")
    Assignment.objects.create(assessor=stranger, ormas=other_ormas)
    url = reverse("reporting:report_review", args=[report.uuid])
    for user in (operator, viewer, stranger):
        assert client_for(user).post(url, {"decision": "verify"}).status_code == 403
        page = client_for(user).get(reverse("reporting:report_detail", args=[report.uuid]))
        assert 'data-testid="review"' not in page.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


# --- resubmission ------------------------------------------------------------------------------


def test_resubmission_keeps_history_and_shows_what_changed(
    operator, assessor, programme, returned_report
) -> None:
    report = returned_report
    client = client_for(operator)
    indicator = programme.indicators.first()
    client.post(
        reverse("reporting:evidence_add", args=[report.uuid]),
        {"photos": [image_upload("suasana.png")], "caption": "Suasana pelatihan"},
    )
    response = client.post(
        reverse("reporting:report_edit", args=[report.uuid]),
        {
            **form_data(programme, narrative="Uraian yang diperbaiki."),
            "title": report.title,
            "start_date": "2025-03-10",
            "end_date": "2025-03-10",
            f"value_{indicator.pk}": "30",
        },
    )
    assert response.status_code == 302
    client.post(reverse("reporting:report_submit", args=[report.uuid]))
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert [c.action for c in state_log(report)] == ["submit", "return", "submit"]
    assert report.first_submitted_at < report.submitted_at

    page = client_for(assessor).get(reverse("reporting:report_detail", args=[report.uuid]))
    changes = page.context["changes"]
    labels = {c.label: (c.old, c.new) for c in changes.fields}
    assert labels["uraian kegiatan"] == ("Uraian kegiatan uji.", "Uraian yang diperbaiki.")
    assert labels["Peserta pelatihan (orang)"] == ("10", "30")
    assert labels["biaya (Rp)"] == ("0", "1.500.000")
    assert changes.added == ["Suasana pelatihan"]
    body = page.content.decode()
    assert 'data-testid="changes-since-return"' in body
    assert "Foto kegiatan belum ada." in body  # the return reason stays in the state log
    assert 'data-testid="review"' in body


def test_unchanged_resubmission_says_so(operator, assessor, returned_report) -> None:
    client_for(operator).post(reverse("reporting:report_submit", args=[returned_report.uuid]))
    page = client_for(assessor).get(reverse("reporting:report_detail", args=[returned_report.uuid]))
    assert not page.context["changes"]
    assert "Tidak ada isian yang diubah sejak laporan dikembalikan" in page.content.decode()


def test_detail_shows_participants_values_and_state_log(viewer, operator, programme) -> None:
    report = ReportFactory(
        programme=programme, male_youth=3, female_youth=2, female_over30=5, cost=250000
    )
    services.report_save(
        actor=operator,
        programme=programme,
        data={},
        values={programme.indicators.first(): Decimal("7.5")},
        report=report,
    )
    services.report_submit(actor=operator, report=report)
    response = client_for(viewer).get(reverse("reporting:report_detail", args=[report.uuid]))
    body = response.content.decode()
    assert response.context["participants"]["total"] == 10
    assert "Pemuda 16–30 tahun: 5 orang (50%)" in body
    assert "7,5" in body and "Rp 250.000" in body
    assert 'data-testid="state-log"' in body and "Diajukan" in body
    # A viewer reads the report but neither edits it nor opens evidence files.
    assert 'data-testid="submit"' not in body and "Ubah isian" not in body


def test_report_list_narrows_to_one_ormas_from_its_page(
    region_admin, programme, other_ormas
) -> None:
    from django.test import Client
    from django.urls import reverse

    from tests.factories import ProgrammeFactory, ReportFactory

    mine = ReportFactory(programme=programme, title="Kegiatan Milik Ormas Ini")
    ReportFactory(
        programme=ProgrammeFactory(ormas=other_ormas, period=programme.period),
        title="Kegiatan Ormas Lain",
    )
    client = Client()
    client.force_login(region_admin)
    body = client.get(
        reverse("reporting:report_list"), {"ormas": str(programme.ormas.uuid)}
    ).content.decode()
    assert mine.title in body and "Kegiatan Ormas Lain" not in body
    detail = client.get(reverse("registry:detail", args=[programme.ormas.uuid])).content.decode()
    assert f"?ormas={programme.ormas.uuid}" in detail
