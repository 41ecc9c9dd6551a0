from django.urls import path

from sipko.planning.views import periods, programmes, rpjmd

app_name = "planning"

urlpatterns = [
    path("program/", programmes.programme_list, name="programme_list"),
    path("ormas/<uuid:uuid>/program/baru/", programmes.programme_create, name="programme_create"),
    path("program/<uuid:uuid>/", programmes.programme_detail, name="programme_detail"),
    path("program/<uuid:uuid>/ubah/", programmes.programme_edit, name="programme_edit"),
    path("program/<uuid:uuid>/ajukan/", programmes.programme_submit, name="programme_submit"),
    path("program/<uuid:uuid>/tinjau/", programmes.programme_review, name="programme_review"),
    path("program/<uuid:uuid>/indikator/baru/", programmes.indicator_form, name="indicator_add"),
    path(
        "program/<uuid:uuid>/indikator/<int:pk>/ubah/",
        programmes.indicator_form,
        name="indicator_edit",
    ),
    path(
        "program/<uuid:uuid>/indikator/<int:pk>/hapus/",
        programmes.indicator_delete,
        name="indicator_delete",
    ),
    path("rpjmd/", rpjmd.rpjmd_list, name="rpjmd_list"),
    path("rpjmd/baru/", rpjmd.rpjmd_create, name="rpjmd_create"),
    path("rpjmd/<int:pk>/", rpjmd.rpjmd_detail, name="rpjmd_detail"),
    path("rpjmd/<int:pk>/ubah/", rpjmd.rpjmd_edit, name="rpjmd_edit"),
    path("rpjmd/<int:pk>/butir/baru/", rpjmd.rpjmd_item_form, name="rpjmd_item_add"),
    path("rpjmd/<int:pk>/butir/<int:item_pk>/ubah/", rpjmd.rpjmd_item_form, name="rpjmd_item_edit"),
    path("periode/", periods.period_list, name="period_list"),
    path("periode/baru/", periods.period_create, name="period_create"),
    path("periode/<int:pk>/", periods.period_detail, name="period_detail"),
    path("periode/<int:pk>/ubah/", periods.period_edit, name="period_edit"),
    path("periode/<int:pk>/status/<slug:action>/", periods.period_move, name="period_move"),
]
