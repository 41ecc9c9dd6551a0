"""The registry import as an upload page, with a progress bar and a downloadable report."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sipko.accounts import access
from sipko.lib.forms import StyledForm
from sipko.lib.uploads import CSV, XLSX, check_upload
from sipko.regions.models import Level, Region, within_q
from sipko.registry.importer.reader import check_unzipped_size
from sipko.registry.importer.result import ImportFileError
from sipko.registry.models import ImportJob
from sipko.registry.tasks import run_import_job


def _looks_like_text(upload: UploadedFile) -> bool:
    head = upload.read(4096)
    upload.seek(0)
    return b"\x00" not in head


class ImportForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("Berkas registri (XLSX atau CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    region = forms.ChoiceField(label=gettext_lazy("Kabupaten/kota"))
    dry_run = forms.BooleanField(
        label=gettext_lazy("Uji coba saja (tidak menyimpan)"), required=False
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Simpan baris yang benar saja, lewati baris bermasalah"), required=False
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        scope = user.region
        if scope is None:
            regions = list(Region.objects.filter(level=Level.KABUPATEN_KOTA))
        elif scope.level <= Level.KABUPATEN_KOTA:
            regions = list(Region.objects.filter(within_q(scope.code), level=Level.KABUPATEN_KOTA))
        else:
            regions = [scope]
        self.fields["region"].choices = [(r.code, r.name) for r in regions]

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.name.lower().endswith(".csv") and _looks_like_text(upload):
            if upload.size > settings.SIPKO_IMPORT_MAX_BYTES:
                raise ValidationError(
                    _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
                    % {
                        "size": filesizeformat(upload.size),
                        "limit": filesizeformat(settings.SIPKO_IMPORT_MAX_BYTES),
                    }
                )
            return upload  # encoding and delimiter are the importer's to judge, row by row
        kind = check_upload(upload, allowed=(XLSX, CSV), max_bytes=settings.SIPKO_IMPORT_MAX_BYTES)
        if kind == XLSX:  # a zip bomb is refused here, before a job is queued for it
            try:
                check_unzipped_size(upload.read(), settings.SIPKO_IMPORT_MAX_UNZIPPED_BYTES)
            except ImportFileError as exc:
                raise ValidationError(str(exc)) from exc
            finally:
                upload.seek(0)
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    if not access.can_administer_registry(request.user):
        raise PermissionDenied
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob(
            created_by=request.user,
            region_id=form.cleaned_data["region"],
            original_name=upload.name[:255],
            dry_run=form.cleaned_data["dry_run"],
            skip_invalid=form.cleaned_data["skip_invalid"],
        )
        job.file.save(upload.name, upload, save=False)
        job.save()
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
        return redirect("registry:import_status", uuid=job.uuid)
    jobs = ImportJob.objects.filter(created_by=request.user)[:10]
    return render(request, "registry/import_start.html", {"form": form, "jobs": jobs})


def _job(request: HttpRequest, uuid: str) -> ImportJob:
    if not access.can_administer_registry(request.user):
        raise PermissionDenied
    return get_object_or_404(ImportJob.objects.filter(created_by=request.user), uuid=uuid)


@login_required
def import_status(request: HttpRequest, uuid: str) -> HttpResponse:
    job = _job(request, uuid)
    template = (
        "registry/import_status.html#progress" if request.htmx else "registry/import_status.html"
    )
    return render(request, template, {"job": job})


@login_required
def import_report(request: HttpRequest, uuid: str) -> FileResponse:
    job = _job(request, uuid)
    if not job.report:
        raise Http404
    return FileResponse(
        job.report.open("rb"),
        as_attachment=True,
        filename=f"laporan-impor-{job.created_at:%Y%m%d-%H%M}.xlsx",
    )
