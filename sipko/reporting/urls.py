from django.urls import path

from sipko.reporting.views import compliance, evidence, finance, reports

app_name = "reporting"

urlpatterns = [
    path("", reports.report_list, name="report_list"),
    path("baru/", reports.report_create, name="report_create"),
    path("<uuid:uuid>/", reports.report_detail, name="report_detail"),
    path("<uuid:uuid>/ubah/", reports.report_edit, name="report_edit"),
    path("<uuid:uuid>/ajukan/", reports.report_submit, name="report_submit"),
    path("<uuid:uuid>/tinjau/", reports.report_review, name="report_review"),
    path("<uuid:uuid>/bukti/", evidence.evidence_add, name="evidence_add"),
    path("bukti/<uuid:uuid>/berkas/", evidence.evidence_file, name="evidence_file"),
    path("bukti/<uuid:uuid>/gambar-kecil/", evidence.evidence_thumbnail, name="evidence_thumbnail"),
    path("bukti/<uuid:uuid>/hapus/", evidence.evidence_remove, name="evidence_remove"),
    path("keuangan/", finance.finance_list, name="finance_list"),
    path("keuangan/<uuid:uuid>/", finance.finance_detail, name="finance_detail"),
    path("keuangan/<uuid:uuid>/ubah/", finance.finance_edit, name="finance_edit"),
    path("kepatuhan/", compliance.compliance, name="compliance"),
]
