from django.contrib.auth.decorators import login_required
from django.urls import path

from sipko.assessment.views import appeals, assessments, instruments, methodology, periods

app_name = "assessment"

# Every page here is for signed-in users; what each may see is decided in accounts/access.py.
urlpatterns = [
    path("", assessments.list_view, name="list"),
    path("periode/<int:pk>/mulai/", assessments.start, name="start"),
    path("periode/<int:pk>/instrumen/", periods.period_standard, name="period_standard"),
    path("periode/<int:pk>/massal/<slug:action>/", periods.period_bulk, name="period_bulk"),
    path("periode/<int:pk>/metodologi/", methodology.methodology, name="methodology"),
    path(
        "periode/<int:pk>/metodologi.<slug:fmt>",
        methodology.methodology_export,
        name="methodology_export",
    ),
    path("kelayakan/", periods.eligibility_rules, name="eligibility"),
    path("instrumen/", instruments.instrument_list, name="instrument_list"),
    path("instrumen/muat/", instruments.instrument_load, name="instrument_load"),
    path(
        "instrumen/<str:code>/<str:version>/",
        instruments.instrument_detail,
        name="instrument_detail",
    ),
    path(
        "instrumen/<str:code>/<str:version>/yaml/",
        instruments.instrument_yaml,
        name="instrument_yaml",
    ),
    path(
        "instrumen/<str:code>/<str:version>/berlakukan/",
        instruments.instrument_publish,
        name="instrument_publish",
    ),
    path(
        "instrumen/<str:code>/<str:version>/versi-baru/",
        instruments.instrument_new_version,
        name="instrument_new_version",
    ),
    path("<uuid:uuid>/", assessments.detail, name="detail"),
    path("<uuid:uuid>/jejak/", assessments.trace, name="trace"),
    path("<uuid:uuid>/penugasan/", assessments.assign, name="assign"),
    path("<uuid:uuid>/status/<slug:action>/", assessments.move, name="move"),
    path("<uuid:uuid>/jawaban/<str:code>/", assessments.answer_save, name="answer_save"),
    path(
        "<uuid:uuid>/jawaban/<str:code>/bukti/",
        assessments.answer_file_add,
        name="answer_file_add",
    ),
    path(
        "<uuid:uuid>/jawaban/<str:code>/verifikasi/",
        assessments.answer_verify,
        name="answer_verify",
    ),
    path(
        "<uuid:uuid>/jawaban/<str:code>/rekonsiliasi/",
        assessments.answer_reconcile,
        name="answer_reconcile",
    ),
    path("bukti/<uuid:uuid>/", assessments.answer_file, name="answer_file"),
    path("bukti/<uuid:uuid>/hapus/", assessments.answer_file_remove, name="answer_file_remove"),
    path("<uuid:uuid>/keberatan/", appeals.appeal_file, name="appeal"),
    path("<uuid:uuid>/keberatan/putuskan/", appeals.appeal_decide, name="appeal_decide"),
    path("lampiran/<uuid:uuid>/", appeals.appeal_attachment, name="appeal_attachment"),
    path("<uuid:uuid>/tindak-lanjut/", appeals.follow_up_add, name="follow_up_add"),
    path(
        "<uuid:uuid>/tindak-lanjut/<int:pk>/",
        appeals.follow_up_update,
        name="follow_up_update",
    ),
]

urlpatterns = [path(str(p.pattern), login_required(p.callback), name=p.name) for p in urlpatterns]
