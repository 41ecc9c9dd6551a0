"""The registry import as an upload page, with a progress bar and a downloadable report."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sipko.accounts import access
from sipko.lib.forms import StyledForm
from sipko.lib.uploads import CSV, XLSX, check_upload
from sipko.regions.models import Level, Region, within_q
from sipko.registry import selectors, services
from sipko.registry.importer.columns import IGNORE, field_label
from sipko.registry.importer.headers import FIELD_LABELS
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


class ColumnMappingForm(StyledForm):
    """One choice per unknown column of a finished import: a field, or ignore it on purpose.

    The columns come from the job as the importer saw them, never from the request, so a
    tampered header cannot be mapped; a field outside the list is a form error.
    """

    def __init__(self, *args: object, columns: list[dict[str, object]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        choices = [
            ("", gettext_lazy("— pilih —")),
            (IGNORE, gettext_lazy("Abaikan kolom ini")),
            *FIELD_LABELS.items(),
        ]
        for number, column in enumerate(columns):
            samples = "; ".join(f"'{s}'" for s in column.get("samples") or [])
            suggestion = str(column.get("suggestion") or "")
            self.fields[f"kolom_{number}"] = forms.ChoiceField(
                label=str(column.get("header") or ""),
                choices=choices,
                initial=suggestion if suggestion in FIELD_LABELS else "",
                help_text=_("Contoh isi: %(samples)s") % {"samples": samples} if samples else "",
                error_messages={
                    "required": _("Pilih isian untuk kolom ini, atau abaikan kolom ini."),
                    "invalid_choice": _("Isian '%(value)s' tidak tersedia; pilih dari daftar."),
                },
            )
        self.style_fields()

    def mapping(self) -> dict[str, str]:
        return {
            str(column["key"]): self.cleaned_data[f"kolom_{number}"]
            for number, column in enumerate(self.columns)
        }

    def headers(self) -> dict[str, str]:
        return {str(column["key"]): str(column.get("header") or "") for column in self.columns}


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
    return render(
        request,
        "registry/import_start.html",
        {
            "form": form,
            "jobs": jobs,
            "mappings": [
                (mapping, _("diabaikan") if mapping.field == IGNORE else field_label(mapping.field))
                for mapping in selectors.saved_column_mappings(request.user)
            ],
        },
    )


@login_required
@require_POST
def import_mapping_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_administer_registry(request.user):
        raise PermissionDenied
    mapping = next((m for m in selectors.saved_column_mappings(request.user) if m.pk == pk), None)
    if mapping is None:
        raise Http404
    services.import_column_mapping_delete(actor=request.user, mapping=mapping)
    messages.success(
        request,
        _("Pemetaan kolom %(header)s dihapus; impor berikutnya akan menanyakannya lagi.")
        % {"header": mapping.header},
    )
    return redirect("registry:import")


def _job(request: HttpRequest, uuid: str) -> ImportJob:
    if not access.can_administer_registry(request.user):
        raise PermissionDenied
    return get_object_or_404(ImportJob.objects.filter(created_by=request.user), uuid=uuid)


def _unknown_columns(job: ImportJob) -> list[dict[str, object]]:
    columns = job.summary.get("unknown_columns") if isinstance(job.summary, dict) else None
    return [c for c in columns or [] if isinstance(c, dict) and c.get("key")]


def _finished(job: ImportJob) -> bool:
    return job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)


def _can_apply(job: ImportJob) -> bool:
    """Whether writing this dry run's file would be accepted: offered only then."""
    summary = job.summary if isinstance(job.summary, dict) else {}
    return (
        job.dry_run
        and job.status == ImportJob.Status.DONE
        and not summary.get("file_error")
        and not _unknown_columns(job)
        and (not summary.get("errors") or job.skip_invalid)
        and bool(job.file)
    )


def _status_page(
    request: HttpRequest, job: ImportJob, column_form: ColumnMappingForm | None = None
) -> HttpResponse:
    columns = _unknown_columns(job)
    if column_form is None and columns and _finished(job):
        column_form = ColumnMappingForm(columns=columns)
    template = (
        "registry/import_status.html#progress" if request.htmx else "registry/import_status.html"
    )
    context = {"job": job, "column_form": column_form, "can_apply": _can_apply(job)}
    return render(request, template, context)


def _rerun(request: HttpRequest, job: ImportJob, *, dry_run: bool) -> ImportJob:
    """A new job on the same stored file, queued once the transaction commits."""
    again = ImportJob(
        created_by=request.user,
        region=job.region,
        original_name=job.original_name,
        dry_run=dry_run,
        skip_invalid=job.skip_invalid,
    )
    again.file.name = job.file.name
    again.save()
    transaction.on_commit(lambda: run_import_job.enqueue(again.pk))
    return again


@login_required
def import_status(request: HttpRequest, uuid: str) -> HttpResponse:
    return _status_page(request, _job(request, uuid))


@login_required
@require_POST
def import_columns(request: HttpRequest, uuid: str) -> HttpResponse:
    """Save what each unknown column is (for this region's next imports too), then run the
    dry run again with those choices."""
    job = _job(request, uuid)
    columns = _unknown_columns(job)
    if not columns or not _finished(job) or not job.file:
        messages.error(request, _("Impor ini tidak memiliki kolom yang perlu dipetakan."))
        return redirect("registry:import_status", uuid=job.uuid)
    form = ColumnMappingForm(request.POST, columns=columns)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.import_column_mapping_save(
                    actor=request.user,
                    region=job.region,
                    mapping=form.mapping(),
                    headers=form.headers(),
                )
                again = _rerun(request, job, dry_run=True)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            chosen = ", ".join(
                f"{form.headers()[key]} → "
                + (str(_("diabaikan")) if value == IGNORE else field_label(value))
                for key, value in form.mapping().items()
            )
            messages.success(
                request,
                _("Pemetaan kolom disimpan untuk impor wilayah ini: %(chosen)s.")
                % {"chosen": chosen},
            )
            return redirect("registry:import_status", uuid=again.uuid)
    return _status_page(request, job, form)


@login_required
@require_POST
def import_apply(request: HttpRequest, uuid: str) -> HttpResponse:
    """Write the file of a clean dry run (the same checks run again as it is written)."""
    job = _job(request, uuid)
    if not _can_apply(job):
        messages.error(
            request,
            _(
                "Uji coba ini belum dapat disimpan: petakan dulu kolom yang tidak dikenali, "
                "atau perbaiki baris bergalat."
            ),
        )
        return redirect("registry:import_status", uuid=job.uuid)
    again = _rerun(request, job, dry_run=False)
    return redirect("registry:import_status", uuid=again.uuid)


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
