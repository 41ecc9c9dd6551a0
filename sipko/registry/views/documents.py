"""Registry documents: upload, access-checked download, verification verdicts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sipko.accounts import access
from sipko.registry import selectors, services
from sipko.registry.forms import DocumentForm, VerdictForm
from sipko.registry.models import Document


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, uuid: str) -> HttpResponse:
    ormas = get_object_or_404(selectors.ormas_for(request.user), uuid=uuid)
    if not access.can_edit_ormas(request.user, ormas):
        raise PermissionDenied
    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "upload"}
        try:
            services.document_upload(
                actor=request.user, ormas=ormas, data=data, upload=form.cleaned_data["upload"]
            )
        except ValidationError as exc:
            file_errors = exc.message_dict.get("file") if hasattr(exc, "error_dict") else None
            form.add_error("upload" if file_errors else None, file_errors or exc)
        else:
            messages.success(request, _("Dokumen terunggah."))
            return redirect("registry:detail", uuid=ormas.uuid)
    return render(request, "registry/document_form.html", {"form": form, "ormas": ormas})


def _document(request: HttpRequest, uuid: str) -> Document:
    return get_object_or_404(
        access.documents_visible_to(request.user).select_related("ormas"), uuid=uuid
    )


@login_required
def document_file(request: HttpRequest, uuid: str) -> FileResponse:
    """Stream a stored file; only reachable for documents the user may see."""
    document = _document(request, uuid)
    if not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=document.content_type or "application/octet-stream",
        as_attachment=document.content_type == "application/pdf",
        filename=document.original_name or document.file.name.rsplit("/", 1)[-1],
    )
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_verify(request: HttpRequest, uuid: str) -> HttpResponse:
    document = _document(request, uuid)
    if not access.can_verify_ormas(request.user, document.ormas):
        raise PermissionDenied
    initial = {"verdict": document.verdict, "reason": document.verdict_reason}
    form = VerdictForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_verify(
                actor=request.user,
                document=document,
                verdict=form.cleaned_data["verdict"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Hasil verifikasi tersimpan."))
            return redirect("registry:detail", uuid=document.ormas.uuid)
    return render(request, "registry/document_verify.html", {"form": form, "document": document})
