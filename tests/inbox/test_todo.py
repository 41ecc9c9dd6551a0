"""The landing page: each to-do rule per role, the order (overdue first), and the query bound.

Time is frozen on 20 July 2025 (`on_day`): the `period` fixture's first semester was due on
15 July, so `programme` (accepted, February–November) owes an overdue report.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sipko.accounts.models import Role
from sipko.assessment import services as assessment_services
from sipko.inbox.todo import LIMIT, profile_completeness, todo_for
from sipko.planning.models import PeriodState
from sipko.registry.models import DocumentType, ImportJob, Position, Verdict
from sipko.reporting import services as reporting_services
from tests.assessment.factories import fill_small
from tests.factories import (
    DocumentFactory,
    IndicatorFactory,
    OrmasFactory,
    PengurusFactory,
    PeriodFactory,
    ProgrammeFactory,
    ReportFactory,
    UserFactory,
)
from tests.inbox.conftest import JAKARTA, ON, client_for


def titles(user) -> list[str]:
    return [item.title for group in todo_for(user).groups for item in group.items]


def item(user, text: str):
    found = [i for g in todo_for(user).groups for i in g.items if text in i.title]
    assert found, f"no item with {text!r} in {titles(user)}"
    return found[0]


def home(user) -> str:
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


# --- the page ----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_lists_items_with_links_and_indonesian_dates(on_day, operator, programme) -> None:
    body = home(operator)
    assert 'data-testid="todo-list"' in body
    assert 'data-testid="todo-item"' in body
    assert "Yang perlu dikerjakan" in body
    assert "15 Juli 2025" in body  # the report's due date, as Indonesian offices write it
    assert f"{reverse('reporting:report_create')}?program={programme.uuid}" in body


def test_an_empty_list_says_so_kindly(on_day, assessor) -> None:
    body = home(assessor)
    assert 'data-testid="todo-empty"' in body
    assert "Tidak ada yang perlu dikerjakan" in body
    assert 'data-testid="todo-item"' not in body


def test_overdue_items_come_first(on_day, operator, ormas, period, programme) -> None:
    # The report is overdue (15 July); an SKT ending in September is not.
    ormas.skt_number, ormas.skt_expires = "SKT/1", dt.date(2025, 9, 1)
    ormas.save()
    groups = todo_for(operator).groups
    assert groups[0].key == "reports" and groups[0].items[0].overdue
    body = home(operator)
    assert body.index("terlambat") < body.index("SKT SKT/1 segera berakhir")


# --- operator ----------------------------------------------------------------------------------


def test_operator_programmes_to_submit_or_fix_in_open_periods(on_day, operator, ormas, period):
    ProgrammeFactory(ormas=ormas, period=period, title="Draf Terbuka", state="draft")
    ProgrammeFactory(
        ormas=ormas, period=period, title="Dikembalikan", state="returned", review_note="Target?"
    )
    closed = PeriodFactory(name="Periode Lama", state=PeriodState.CLOSED)
    ProgrammeFactory(ormas=ormas, period=closed, title="Draf Periode Tutup", state="draft")

    draft = item(operator, "Ajukan program “Draf Terbuka”")
    assert draft.date == period.programme_due and draft.overdue  # due 31 March
    returned = item(operator, "Perbaiki dan ajukan lagi program “Dikembalikan”")
    assert "Target?" in returned.detail
    assert not any("Draf Periode Tutup" in t for t in titles(operator))


def test_operator_reports_overdue_due_and_returned(
    on_day, operator, ormas, period, programme, region_admin
) -> None:
    overdue = item(operator, "Laporan “Program Uji Operator” — Semester 1 2025 terlambat")
    assert overdue.overdue and overdue.date == dt.date(2025, 7, 15)
    assert overdue.detail == "Terlambat 5 hari"
    # Accepted on 10 July: its first report is due on 25 July, within 14 days.
    ProgrammeFactory(
        ormas=ormas,
        period=period,
        title="Bank Sampah",
        reviewed_at=dt.datetime(2025, 7, 10, 9, tzinfo=JAKARTA),
    )
    upcoming = item(operator, "Laporkan “Bank Sampah” — Semester 1 2025")
    assert upcoming.date == dt.date(2025, 7, 25) and not upcoming.overdue

    report = ReportFactory(programme=programme, title="Pelatihan Kader")
    reporting_services.report_submit(actor=operator, report=report)
    reporting_services.report_review(
        actor=region_admin, report=report, verify=False, reason="Foto kegiatan kurang."
    )
    returned = item(operator, "Perbaiki laporan “Pelatihan Kader” yang dikembalikan")
    assert returned.date == ON
    assert returned.detail == "Foto kegiatan kurang."
    # The report it was owed is filed (returned counts as filed): no longer overdue.
    assert not any("terlambat" in t for t in titles(operator))


def test_operator_self_assessment_window_and_start(
    on_day, small_flow, operator, period, small, national_admin
) -> None:
    period.self_assessment_due = dt.date(2025, 8, 31)
    period.save()
    window = item(operator, f"Isi dan ajukan penilaian mandiri “{period.name}”")
    assert window.date == dt.date(2025, 8, 31) and not window.overdue

    other = PeriodFactory(name="Periode Provinsi 2025", region_id="35", state="open")
    assessment_services.period_standard_set(actor=national_admin, period=other, instrument=small)
    start = item(operator, "Mulai penilaian mandiri “Periode Provinsi 2025”")
    assert start.url == f"{reverse('assessment:list')}?periode={other.pk}"


def test_operator_appeal_deadline_until_appealed(on_day, published_small, operator) -> None:
    assessment = published_small.fresh()
    deadline = item(operator, "diumumkan: periksa, ajukan keberatan")
    assert deadline.date == assessment.appeal_until
    published_small.appeal()
    assert not any("keberatan" in t for t in titles(operator))


def test_operator_skt_expiring_and_expired(on_day, operator, ormas) -> None:
    ormas.skt_number, ormas.skt_expires = "SKT/9", ON + dt.timedelta(days=30)
    ormas.save()
    soon = item(operator, "SKT SKT/9 segera berakhir")
    assert soon.date == ON + dt.timedelta(days=30) and not soon.overdue

    ormas.skt_expires = ON - dt.timedelta(days=1)
    ormas.save()
    assert item(operator, "SKT SKT/9 sudah kedaluwarsa").overdue


def test_operator_board_term_about_to_end(on_day, operator, ormas, settings) -> None:
    settings.SIPKO_EXPIRY_WARNING_DAYS = 90
    chair = PengurusFactory(ormas=ormas, position=Position.KETUA, term_end=ON + dt.timedelta(80))
    assert item(operator, "Masa bakti pengurus segera berakhir").date == chair.term_end

    chair.term_end = ON + dt.timedelta(days=120)
    chair.save()
    assert not any("Masa bakti" in t for t in titles(operator))

    chair.term_end = ON - dt.timedelta(days=3)
    chair.save()
    assert item(operator, "Masa bakti pengurus sudah berakhir").overdue


def test_operator_profile_completeness(on_day, operator, ormas) -> None:
    # Only the address of 13 requirements (7 fields, bidang, a chair, 4 documents of a
    # perkumpulan): 1 of 13 → 8 %.
    missing = item(operator, "Kelengkapan profil 8 %")
    assert "AD/ART" in missing.detail and "ketua dalam susunan pengurus" in missing.detail
    assert missing.url == reverse("registry:detail", args=[ormas.uuid])


def test_completeness_counts_usable_documents_only(ormas) -> None:
    on = ON
    ormas.phone, ormas.email, ormas.founding_year = "0342-801234", "pskk@contoh.id", 1999
    ormas.members_count, ormas.office, ormas.npwp = 40, "sewa", "012345678901234"
    documents = [
        (DocumentType.AD_ART, Verdict.VALID, None, "registry/a.pdf"),
        (DocumentType.SK_KEPENGURUSAN, Verdict.PENDING, None, "registry/b.pdf"),
        (DocumentType.SURAT_DOMISILI, Verdict.INVALID, None, "registry/c.pdf"),  # judged invalid
        (DocumentType.AKTA_NOTARIS, Verdict.VALID, on - dt.timedelta(days=1), "registry/d.pdf"),
    ]
    result = profile_completeness(
        ormas, documents=documents, has_chair=True, has_bidang=True, on=on
    )
    assert result.missing == ["Surat keterangan domisili", "Akta notaris"]
    assert (result.done, result.required, result.percent) == (11, 13, 85)

    ormas.skt_number = "SKT/1"  # an SKT holder also needs the SKT itself
    result = profile_completeness(
        ormas, documents=documents, has_chair=True, has_bidang=True, on=on
    )
    assert "SKT" in result.missing and result.required == 14


def test_operator_sees_only_its_own_ormas(on_day, operator, other_operator, other_ormas, period):
    ProgrammeFactory(ormas=other_ormas, period=period, title="Milik Tetangga", state="draft")
    assert not any("Milik Tetangga" in t for t in titles(operator))
    assert "Ajukan program “Milik Tetangga”" in titles(other_operator)


# --- assessor ----------------------------------------------------------------------------------


def test_assessor_assessments_waiting_for_verification_by_deadline(
    on_day, small_flow, assessor, period, ormas
) -> None:
    period.verification_due = dt.date(2025, 7, 18)
    period.save()
    fill_small(small_flow)
    small_flow.submit()
    assert titles(assessor) == []  # not assigned yet
    small_flow.assign()
    waiting = item(assessor, f"Verifikasi {ormas.name}")
    assert waiting.date == dt.date(2025, 7, 18) and waiting.overdue
    assert waiting.url == reverse("assessment:detail", args=[small_flow.assessment.uuid])
    other = UserFactory(username="penilai_lain", role=Role.ASSESSOR, region_id="35.72")
    assert titles(other) == []


# --- region admin ------------------------------------------------------------------------------


def test_admin_programmes_and_reports_to_review(
    on_day, region_admin, outside_admin, ormas, period, programme
) -> None:
    ProgrammeFactory(
        ormas=ormas,
        period=period,
        title="Menunggu Tinjauan",
        state="submitted",
        submitted_at=timezone.now(),
    )
    ReportFactory(
        programme=programme,
        title="Laporan Diajukan",
        state="submitted",
        submitted_at=timezone.now(),
    )
    review = item(region_admin, "Tinjau “Menunggu Tinjauan”")
    assert review.date == ON and ormas.name in review.title
    item(region_admin, "Verifikasi “Laporan Diajukan”")
    assert titles(outside_admin) == []


def test_admin_sees_at_most_limit_items_and_the_rest_behind_a_link(
    on_day, region_admin, ormas, period
) -> None:
    for n in range(LIMIT + 2):
        ProgrammeFactory(ormas=ormas, period=period, title=f"Program {n}", state="submitted")
    group = next(g for g in todo_for(region_admin).groups if g.key == "programme_review")
    assert len(group.items) == LIMIT and group.total == LIMIT + 2 and group.more == 2
    body = home(region_admin)
    assert "dan 2 lainnya" in body
    assert f"{reverse('planning:programme_list')}?state=submitted" in body


def test_admin_documents_to_verify(on_day, region_admin, ormas) -> None:
    document = DocumentFactory(ormas=ormas)
    assert not any("dokumen" in t for t in titles(region_admin))  # no file uploaded yet
    document.file.save("ad-art.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    DocumentFactory(ormas=ormas, verdict=Verdict.VALID, file="registry/sudah.pdf")
    assert item(region_admin, f"Periksa 1 dokumen {ormas.name}").date == ON


def test_admin_appeals_to_decide(on_day, published_small, region_admin, outside_admin) -> None:
    published_small.appeal()
    appeal = item(region_admin, "Putuskan keberatan")
    assert appeal.url == reverse("assessment:appeal_decide", args=[published_small.assessment.uuid])
    assert not any("keberatan" in t for t in titles(outside_admin))


def test_an_admin_who_verified_the_result_is_not_asked_to_decide(
    on_day, published_small, region_admin
) -> None:
    published_small.appeal()
    answer = published_small.get("LV")
    type(answer).objects.filter(pk=answer.pk).update(final_by=region_admin)
    assert not any("keberatan" in t for t in titles(region_admin))


def test_admin_imports_finished_recently(on_day, region_admin) -> None:
    ImportJob.objects.create(
        created_by=region_admin,
        region_id="35.72",
        original_name="ormas-baru.xlsx",
        status=ImportJob.Status.DONE,
        finished_at=timezone.now() - dt.timedelta(hours=2),
    )
    ImportJob.objects.create(
        created_by=region_admin,
        region_id="35.72",
        original_name="ormas-lama.xlsx",
        status=ImportJob.Status.DONE,
        finished_at=timezone.now() - dt.timedelta(days=10),
    )
    colleague = UserFactory(username="admin_kota_2", role=Role.REGION_ADMIN, region_id="35.72")
    ImportJob.objects.create(
        created_by=colleague,
        region_id="35.72",
        original_name="ormas-teman.xlsx",
        status=ImportJob.Status.DONE,
        finished_at=timezone.now(),
    )
    assert item(region_admin, "Impor “ormas-baru.xlsx”: selesai").date == ON
    assert not any("lama" in t or "teman" in t for t in titles(region_admin))


def test_admin_expiring_skts_count_and_link(on_day, region_admin, outside_admin) -> None:
    OrmasFactory(skt_number="SKT/1", skt_expires=ON + dt.timedelta(days=40))
    OrmasFactory(skt_number="SKT/2", skt_expires=ON + dt.timedelta(days=10))
    OrmasFactory(skt_number="SKT/3", skt_expires=ON - dt.timedelta(days=10))
    expiring = item(region_admin, "2 ormas dengan SKT akan habis")
    assert expiring.date == ON + dt.timedelta(days=10)
    assert expiring.url == reverse("registry:expiring")
    assert item(region_admin, "1 ormas dengan SKT kedaluwarsa").overdue
    assert titles(outside_admin) == []


def test_admin_operators_who_never_activated(on_day, region_admin, operator) -> None:
    never = item(region_admin, "1 operator belum pernah masuk ke SIPKO")
    assert never.url.startswith(reverse("users:list"))
    operator.last_login = timezone.now()
    operator.save()
    assert not any("belum pernah masuk" in t for t in titles(region_admin))


# --- viewer and national admin -----------------------------------------------------------------


def test_viewer_and_national_admin_see_headline_figures(
    on_day, published_small, viewer, national_admin, programme, ormas
) -> None:
    for user in (viewer, national_admin):
        todo = todo_for(user)
        figures = {f.label: f for f in todo.figures}
        assert figures["Ormas terdaftar"].value == "1"
        # `programme`'s first-semester report is overdue: 0 % on time, 1 missing.
        assert figures["Laporan tepat waktu"].value == "0,0 %"
        assert "1 belum dilaporkan" in figures["Laporan tepat waktu"].detail
        assert figures["Predikat Cukup"].value == "1"
        assert 'data-testid="figures"' in home(user)


def test_viewer_figures_stay_inside_its_region(on_day, viewer, outside_ormas) -> None:
    assert {f.label: f.value for f in todo_for(viewer).figures}["Ormas terdaftar"] == "0"


# --- fast ----------------------------------------------------------------------------------------


def _world(n: int, period) -> None:
    """`n` ormas of Kota Blitar, each with an operator, a submitted and an accepted programme, a
    submitted report, a pending document and an expiring SKT."""
    for i in range(n):
        ormas = OrmasFactory(skt_number=f"SKT/{i}", skt_expires=ON + dt.timedelta(days=20 + i))
        UserFactory(username=f"op{n}_{i}", role=Role.OPERATOR, ormas=ormas)
        ProgrammeFactory(ormas=ormas, period=period, state="submitted", submitted_at=timezone.now())
        accepted = ProgrammeFactory(ormas=ormas, period=period)
        IndicatorFactory(programme=accepted)
        ReportFactory(programme=accepted, state="submitted", submitted_at=timezone.now())
        DocumentFactory(ormas=ormas, file="registry/x.pdf")


def _queries(user) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["region_admin", "viewer", "national_admin", "operator"])
def test_the_page_takes_a_bounded_number_of_queries(
    on_day, request, persona, period, django_assert_max_num_queries
) -> None:
    user = request.getfixturevalue(persona)
    ContentType.objects.clear_cache()
    # Past LIMIT from the start, so that both worlds count the groups they cut short.
    _world(LIMIT + 1, period)
    few = _queries(user)
    _world(15, period)
    many = _queries(user)
    assert many == few, f"{persona}: {few} queries for {LIMIT + 1} ormas, {many} for more"
    client = client_for(user)
    with django_assert_max_num_queries(25):
        client.get(reverse("home"))
