from django.urls import path

from sipko.registry.views import documents, imports, lists, ormas, pengurus

app_name = "registry"

urlpatterns = [
    path("ormas/", ormas.ormas_list, name="list"),
    path("ormas/baru/", ormas.ormas_create, name="create"),
    path("ormas/<uuid:uuid>/", ormas.ormas_detail, name="detail"),
    path("ormas/<uuid:uuid>/ubah/", ormas.ormas_edit, name="edit"),
    path("ormas/<uuid:uuid>/riwayat/", ormas.ormas_history, name="history"),
    path("ormas/<uuid:uuid>/pengurus/baru/", pengurus.pengurus_form, name="pengurus_add"),
    path("ormas/<uuid:uuid>/pengurus/<int:pk>/ubah/", pengurus.pengurus_form, name="pengurus_edit"),
    path(
        "ormas/<uuid:uuid>/pengurus/<int:pk>/hapus/",
        pengurus.pengurus_delete,
        name="pengurus_delete",
    ),
    path("ormas/<uuid:uuid>/dokumen/baru/", documents.document_upload, name="document_add"),
    path("dokumen/<uuid:uuid>/berkas/", documents.document_file, name="document_file"),
    path("dokumen/<uuid:uuid>/verifikasi/", documents.document_verify, name="document_verify"),
    path("registri/masa-berlaku/", lists.expiring, name="expiring"),
    path("registri/masa-bakti/", lists.ended_terms, name="ended_terms"),
    path("registri/duplikat/", lists.duplicates, name="duplicates"),
    path("registri/duplikat/<uuid:first>/<uuid:second>/gabung/", lists.merge, name="merge"),
    path("registri/duplikat/<uuid:first>/<uuid:second>/bukan/", lists.dismiss, name="dismiss"),
    path("registri/impor/", imports.import_start, name="import"),
    path("registri/impor/<uuid:uuid>/", imports.import_status, name="import_status"),
    path(
        "registri/impor/pemetaan/<int:pk>/hapus/",
        imports.import_mapping_delete,
        name="import_mapping_delete",
    ),
    path("registri/impor/<uuid:uuid>/laporan/", imports.import_report, name="import_report"),
    path("registri/impor/<uuid:uuid>/kolom/", imports.import_columns, name="import_columns"),
    path("registri/impor/<uuid:uuid>/simpan/", imports.import_apply, name="import_apply"),
]
