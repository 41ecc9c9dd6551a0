"""Background work of the registry, run by the django-tasks worker (`manage.py db_worker`)."""

from __future__ import annotations

import io
import time

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from sipko.registry.models import ImportJob


@task()
def run_import_job(job_id: int) -> None:
    """Run one uploaded registry import, recording progress on the job row as it goes."""
    from sipko.registry.importer import import_ormas, write_report

    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= 0.5 or done == total:
            last = now
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)

    try:
        with job.file.open("rb") as handle:
            result = import_ormas(
                handle,
                filename=job.original_name,
                region_code=job.region_id,
                actor=job.created_by,
                dry_run=job.dry_run,
                skip_invalid=job.skip_invalid,
                progress=progress,
                # The page asks what each unknown column holding data is before anything is
                # written (docs/import.md#unknown-columns).
                require_known_columns=True,
            )
    except Exception:
        # import_ormas answers bad input itself; this is a bug or an outage. Say so, then let
        # the worker log the traceback.
        job.status = ImportJob.Status.FAILED
        job.summary = {
            "file_error": _("Terjadi kesalahan tak terduga; tidak ada data yang disimpan.")
        }
        job.finished_at = timezone.now()
        job.save()
        raise
    summary = result.summary()
    rejected = bool(result.file_error) or (summary["errors"] and not job.skip_invalid)
    if result.needs_mapping and not job.dry_run:
        job.status = ImportJob.Status.NEEDS_MAPPING
    else:
        job.status = ImportJob.Status.REJECTED if rejected else ImportJob.Status.DONE
    job.summary = {
        **summary,
        "file_error": result.file_error or "",
        "unknown_columns": [column.as_dict() for column in result.unknown_columns],
        "problems": [
            {"row": p.row, "column": p.column, "level": p.level, "message": p.message}
            for p in result.problems[:500]
        ],
        "problem_count": len(result.problems),
    }
    buffer = io.BytesIO()
    write_report(result, buffer)
    job.report.save(f"laporan-impor-{job.uuid}.xlsx", ContentFile(buffer.getvalue()), save=False)
    job.processed_rows = job.total_rows = max(job.total_rows, len(result.rows))
    job.finished_at = timezone.now()
    job.save()
