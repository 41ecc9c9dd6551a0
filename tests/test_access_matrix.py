"""Walks every URL of SIPKO as every persona and checks the status and what leaks.

A route missing from EXPECTED fails `test_every_route_is_in_the_matrix`, so new routes cannot
escape this test. Statuses: 200 ok, 302 redirect (to login for anonymous, or after a POST),
403 the object is visible but the action is not allowed, 404 the object is outside reach.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sipko.registry.models import ImportJob, Ormas
from tests.factories import DocumentFactory, PengurusFactory

PERSONAS = [
    "anonymous",
    "operator",
    "other_operator",
    "viewer",
    "assessor",
    "region_admin",
    "national_admin",
    "outside_admin",
]
ADMINS = {"region_admin": 200, "national_admin": 200, "outside_admin": 200}
NOT_ADMIN = {"operator": 403, "other_operator": 403, "viewer": 403, "assessor": 403}


def row(anonymous: int = 302, **statuses: int) -> dict[str, int]:
    return {"anonymous": anonymous, **statuses}


# Statuses for GET (or POST for POST-only routes) on the fixture objects: `ormas` (Kota Blitar,
# operated by `operator`, assigned to `assessor`) and objects belonging to it.
OWN_EDIT = row(
    operator=200,
    other_operator=404,
    viewer=403,
    assessor=403,
    region_admin=200,
    national_admin=200,
    outside_admin=404,
)
EXPECTED: dict[str, dict[str, int]] = {
    "home": row(
        operator=302,
        other_operator=302,
        viewer=302,
        assessor=302,
        region_admin=302,
        national_admin=302,
        outside_admin=302,
    ),
    "registry:list": row(operator=200, other_operator=200, viewer=200, assessor=200, **ADMINS),
    "registry:create": row(**NOT_ADMIN, **ADMINS),
    "registry:detail": row(
        operator=200,
        other_operator=404,
        viewer=200,
        assessor=200,
        region_admin=200,
        national_admin=200,
        outside_admin=404,
    ),
    "registry:edit": OWN_EDIT,
    "registry:history": row(
        operator=200,
        other_operator=404,
        viewer=403,
        assessor=200,
        region_admin=200,
        national_admin=200,
        outside_admin=404,
    ),
    "registry:pengurus_add": OWN_EDIT,
    "registry:pengurus_edit": OWN_EDIT,
    "registry:pengurus_delete": {
        **OWN_EDIT,
        "operator": 302,
        "region_admin": 302,
        "national_admin": 302,
    },
    "registry:document_add": OWN_EDIT,
    "registry:document_file": row(
        operator=200,
        other_operator=404,
        viewer=404,
        assessor=200,
        region_admin=200,
        national_admin=200,
        outside_admin=404,
    ),
    "registry:document_verify": row(
        operator=403,
        other_operator=404,
        viewer=404,
        assessor=200,
        region_admin=200,
        national_admin=200,
        outside_admin=404,
    ),
    "registry:expiring": row(**NOT_ADMIN, **ADMINS),
    "registry:ended_terms": row(**NOT_ADMIN, **ADMINS),
    "registry:duplicates": row(**NOT_ADMIN, **ADMINS),
    "registry:merge": row(**NOT_ADMIN, region_admin=200, national_admin=200, outside_admin=404),
    "registry:dismiss": row(**NOT_ADMIN, region_admin=200, national_admin=200, outside_admin=404),
    "registry:import": row(**NOT_ADMIN, **ADMINS),
    # Import jobs belong to the admin who started them (`region_admin` here).
    "registry:import_status": row(
        **NOT_ADMIN, region_admin=200, national_admin=404, outside_admin=404
    ),
    "registry:import_report": row(
        **NOT_ADMIN, region_admin=200, national_admin=404, outside_admin=404
    ),
    "admin:index": row(
        operator=302,
        other_operator=302,
        viewer=302,
        assessor=302,
        region_admin=302,
        national_admin=302,
        outside_admin=302,
    ),
}
# Routes exercised with the destructive POST rather than the GET confirmation page.
POST_ONLY = {"registry:pengurus_delete"}
# Routes outside the matrix, each with the reason.
EXEMPT = {
    "login": "public login form",
    "logout": "POST-only, acts on the session itself",
    "set_language": "public language switch",
}


def _route_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                names.add("admin:index")
                continue
            names |= _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_route_is_in_the_matrix() -> None:
    routes = _route_names(get_resolver().url_patterns)
    missing = routes - set(EXPECTED) - set(EXEMPT)
    assert not missing, f"routes without access expectations: {sorted(missing)}"
    assert set(EXPECTED) <= routes, f"stale entries: {sorted(set(EXPECTED) - routes)}"
    for name, statuses in EXPECTED.items():
        assert set(statuses) == set(PERSONAS), name


@pytest.fixture
def world(
    ormas,
    other_ormas,
    outside_ormas,
    operator,
    other_operator,
    viewer,
    assessor,
    region_admin,
    national_admin,
    outside_admin,
) -> dict[str, Any]:
    officer = PengurusFactory(ormas=ormas, name="Ketua Rahasia Fiktif", phone="+6281299990001")
    PengurusFactory(ormas=other_ormas, name="Pengurus Tetangga Fiktif")
    document = DocumentFactory(ormas=ormas)
    document.file.save("ad-art.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    document.content_type = "application/pdf"
    document.save()
    job = ImportJob.objects.create(
        created_by=region_admin, region_id="35.72", original_name="ormas.xlsx"
    )
    job.report.save("laporan.xlsx", ContentFile(b"PK"), save=True)
    return {
        "ormas": ormas,
        "other_ormas": other_ormas,
        "outside_ormas": outside_ormas,
        "officer": officer,
        "document": document,
        "job": job,
        "users": {
            "operator": operator,
            "other_operator": other_operator,
            "viewer": viewer,
            "assessor": assessor,
            "region_admin": region_admin,
            "national_admin": national_admin,
            "outside_admin": outside_admin,
        },
    }


def _url(name: str, world: dict[str, Any]) -> str:
    ormas, other, officer = world["ormas"], world["other_ormas"], world["officer"]
    kwargs: dict[str, Any] = {
        "registry:detail": {"uuid": ormas.uuid},
        "registry:edit": {"uuid": ormas.uuid},
        "registry:history": {"uuid": ormas.uuid},
        "registry:pengurus_add": {"uuid": ormas.uuid},
        "registry:pengurus_edit": {"uuid": ormas.uuid, "pk": officer.pk},
        "registry:pengurus_delete": {"uuid": ormas.uuid, "pk": officer.pk},
        "registry:document_add": {"uuid": ormas.uuid},
        "registry:document_file": {"uuid": world["document"].uuid},
        "registry:document_verify": {"uuid": world["document"].uuid},
        "registry:merge": {"first": ormas.uuid, "second": other.uuid},
        "registry:dismiss": {"first": ormas.uuid, "second": other.uuid},
        "registry:import_status": {"uuid": world["job"].uuid},
        "registry:import_report": {"uuid": world["job"].uuid},
    }.get(name, {})
    return reverse(name, kwargs=kwargs)


def _context_ormas(response: Any) -> set[int]:
    """Primary keys of every Ormas reachable from the template context (objects and lists)."""
    found: set[int] = set()
    for context in response.context or []:
        for value in context.flatten().values():
            items = value if isinstance(value, list | tuple) else [value]
            if hasattr(value, "object_list"):
                items = list(value.object_list)
            elif hasattr(value, "model") and getattr(value, "model", None) is Ormas:
                items = list(value)
            for item in items:
                if isinstance(item, Ormas):
                    found.add(item.pk)
    return found


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_access(name: str, persona: str, world: dict[str, Any]) -> None:
    client = Client()
    user = world["users"].get(persona)
    if user is not None:
        client.force_login(user)
    url = _url(name, world)
    response = client.post(url) if name in POST_ONLY else client.get(url)
    expected = EXPECTED[name][persona]
    assert response.status_code == expected, f"{name} as {persona}: {response.status_code}"
    if persona == "anonymous" and expected == 302 and name != "home":
        assert "/akun/masuk/" in response["Location"] or "/admin/login/" in response["Location"]
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return
    body = response.content.decode()
    visible = set(Ormas.objects.for_user(user).values_list("pk", flat=True))
    leaked = _context_ormas(response) - visible
    assert not leaked, f"{name} as {persona} put invisible ormas {leaked} in the context"
    if persona in ("operator", "other_operator"):
        foreign = world["other_ormas"] if persona == "operator" else world["ormas"]
        assert foreign.name not in body
    if persona in ("region_admin", "viewer", "assessor", "operator"):
        assert world["outside_ormas"].name not in body
    assert "+6281299990001" not in body or persona in ("operator", "region_admin", "national_admin")
