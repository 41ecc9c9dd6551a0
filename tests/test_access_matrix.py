"""Walks every URL of SIPKO as every persona, with GET and POST, and checks the status, what
is written and what leaks.

Expectations live per app in tests/access/ (see its docstring). A route missing from all of
them, or without its methods, fails `test_every_route_is_in_the_matrix`, so new routes cannot
escape this test.

- Each method a route takes is one test per persona, on a fresh world: an allowed POST (with a
  valid body from `post_data`) must write, a refused one must write nothing, nor may any GET.
- The method a route does not take is one test per route, all personas in turn on one world
  (nothing may be written, so nothing needs rebuilding): 405, or what a page that ignores the
  method answers.
- "Written" means a row added or removed in any table of SIPKO's apps: their historical
  (audit) tables and the workflow's state log take a row for every change.
- Every object that belongs to an ormas, found anywhere in the template context, must belong to
  an ormas the persona may see.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.paginator import Page
from django.db import connection, models
from django.forms import BaseForm
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.access
from sipko.assessment.models import Answer, Appeal, Assessment
from sipko.planning.models import Programme
from sipko.registry.models import Ormas
from sipko.reporting.models import ActivityReport
from tests.access import NOT_ALLOWED, PERSONAS, QUERY
from tests.access import admin as admin_expectations

METHODS = ("GET", "POST")
REFUSED = {403, 404, 405}


def _modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"tests.access.{info.name}")
        for info in pkgutil.iter_modules(tests.access.__path__)
        if info.name != "admin"
    ]


MODULES = _modules()
EXPECTED: dict[str, dict[str, dict[str, int]]] = {}
OWNER: dict[str, ModuleType] = {}
for _module in MODULES:
    for _name, _methods in _module.EXPECTED.items():
        assert _name not in EXPECTED, f"{_name} expected twice"
        EXPECTED[_name] = _methods
        OWNER[_name] = _module

# Routes outside the matrix, each with the reason.
EXEMPT = {
    "login": "public login form",
    "logout": "POST-only, acts on the session itself",
    "set_language": "public language switch",
}
# The landing page: what is waiting for each signed-in user; anonymous visitors sign in.
HOME = {p: 302 if p == "anonymous" else 200 for p in PERSONAS}


def _other_method(name: str) -> tuple[str, dict[str, int]] | None:
    """The method a route does not take, with what it answers (see tests/access docstring)."""
    methods = EXPECTED[name]
    if set(methods) == {"POST"}:
        return "GET", NOT_ALLOWED
    if set(methods) == {"GET"}:
        return "POST", methods["GET"]
    return None


def _route_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                names.add("admin:index")
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_route_is_in_the_matrix() -> None:
    routes = _route_names(get_resolver().url_patterns)
    covered = set(EXPECTED) | {"home", "admin:index"}
    missing = routes - covered - set(EXEMPT)
    assert not missing, f"routes without access expectations: {sorted(missing)}"
    assert set(EXPECTED) <= routes, f"stale entries: {sorted(set(EXPECTED) - routes)}"
    for name, methods in EXPECTED.items():
        assert methods, f"{name}: no methods declared"
        assert set(methods) <= set(METHODS), f"{name}: unknown methods {set(methods)}"
        for method, statuses in methods.items():
            assert set(statuses) == set(PERSONAS), f"{name} {method}: personas"
        module = OWNER[name]
        assert set(getattr(module, "NO_WRITE", {})) <= set(module.EXPECTED), module.__name__
    registered = {model._meta.label for model in admin.site._registry}
    assert registered == set(admin_expectations.REGISTERED), "admin models without expectations"


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
    world: dict[str, Any] = {
        "ormas": ormas,
        "other_ormas": other_ormas,
        "outside_ormas": outside_ormas,
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
    for module in MODULES:
        module.setup(world)
    return world


# --- what was written -------------------------------------------------------------------------


def _sipko_tables() -> list[str]:
    """Every table of SIPKO's own apps: models, their historical twins, m2m links, state log."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model.__module__.startswith("sipko.") or model._meta.app_label in _sipko_labels()
    }
    return sorted(tables)


def _sipko_labels() -> set[str]:
    return {c.label for c in apps.get_app_configs() if c.name.startswith("sipko.")}


def _row_counts() -> tuple[int, ...]:
    """Row counts of all SIPKO tables in one query (cheap enough to take around each request)."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in _TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return tuple(cursor.fetchone())


_TABLES: list[str] = []


def _written(before: tuple[int, ...], after: tuple[int, ...]) -> list[str]:
    return [f"{t} {b}→{a}" for t, b, a in zip(_TABLES, before, after, strict=True) if b != a]


# --- what leaks -------------------------------------------------------------------------------

# Models that belong to an ormas through a parent, and the lookup from the parent to its ormas.
PARENT_ORMAS: dict[type[models.Model], str] = {
    Ormas: "pk",
    Programme: "ormas_id",
    ActivityReport: "programme__ormas_id",
    Assessment: "ormas_id",
    Answer: "assessment__ormas_id",
    Appeal: "assessment__ormas_id",
}
MAX_DEPTH = 5
MAX_ROWS = 200


def _owner_link(model: type[models.Model]) -> tuple[type[models.Model], str] | None:
    """How an instance of `model` names its ormas: (parent model, attribute holding its id)."""
    if model in _LINKS:
        return _LINKS[model]
    link = None
    recorded = getattr(model, "instance_type", None)  # a historical row: as its instance
    if issubclass(model, Ormas) or recorded is Ormas:
        link = (Ormas, "id")
    elif recorded is not None:
        link = _owner_link(recorded)
    else:
        for parent in PARENT_ORMAS:  # the nearest parent first: ormas, then the others
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model is parent:
                    link = (parent, field.attname)
                    break
            if link:
                break
    _LINKS[model] = link
    return link


_LINKS: dict[type[models.Model], tuple[type[models.Model], str] | None] = {}


def _walk(value: Any, seen: set[int], depth: int = 0) -> Iterator[models.Model]:
    """Every model instance reachable from a context value: directly, in lists, tuples, sets,
    dict values, dataclass fields, pages, querysets (up to MAX_ROWS) and forms (their instance,
    initial values and the querysets of their choice fields)."""
    if depth > MAX_DEPTH or value is None or isinstance(value, str | bytes | int | float):
        return
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, models.Model):
        yield value
        return
    if isinstance(value, models.QuerySet):
        if value._result_cache is None and _owner_link(value.model) is None:
            return
        rows = value._result_cache if value._result_cache is not None else value[:MAX_ROWS]
        for item in rows:
            yield from _walk(item, seen, depth + 1)
        return
    if isinstance(value, Page):
        yield from _walk(list(value.object_list), seen, depth + 1)
        return
    if hasattr(value, "result_list"):  # the Django admin's ChangeList
        yield from _walk(value.result_list, seen, depth + 1)
        return
    if isinstance(value, BaseForm):
        yield from _walk(getattr(value, "instance", None), seen, depth + 1)
        yield from _walk(dict(value.initial), seen, depth + 1)
        for field in value.fields.values():
            yield from _walk(getattr(field, "queryset", None), seen, depth + 1)
        return
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item, seen, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _walk(item, seen, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _walk(getattr(value, field.name, None), seen, depth + 1)


def context_ormas(response: Any) -> set[int]:
    """Primary keys of the ormas owning anything in the template context."""
    wanted: dict[type[models.Model], set[Any]] = {}
    seen: set[int] = set()
    for context in response.context or []:
        for key, value in context.flatten().items():
            if key in ("request", "perms", "messages", "csrf_token", "view"):
                continue
            for instance in _walk(value, seen):
                link = _owner_link(instance._meta.model)
                if link is None:
                    continue
                parent, attribute = link
                owner_id = getattr(instance, attribute)
                if owner_id is not None:
                    wanted.setdefault(parent, set()).add(owner_id)
    found = set(wanted.pop(Ormas, set()))
    for parent, ids in wanted.items():
        lookup = PARENT_ORMAS[parent]
        found |= set(parent._default_manager.filter(pk__in=ids).values_list(lookup, flat=True))
    return found


# --- one request ------------------------------------------------------------------------------


def _request(
    name: str, method: str, persona: str, world: dict[str, Any]
) -> tuple[Any, list[str], Any]:
    """Send one request; answer the response, what it wrote, and the user."""
    client = Client()
    user = world["users"].get(persona)
    if user is not None:
        client.force_login(user)
    module = OWNER.get(name)
    kwargs = module.url_kwargs(name, world) if module else None
    url = reverse(name, kwargs=kwargs or {})
    if not _TABLES:
        _TABLES.extend(_sipko_tables())
    before = _row_counts()
    if method == "GET":
        response = client.get(url)
    else:
        body = dict(module.post_data(name, world, user) or {}) if module else {}
        query = body.pop(QUERY, "")
        response = client.post(f"{url}?{query}" if query else url, body)
    return response, _written(before, _row_counts()), user


def _problems(response: Any) -> str:
    """Form errors and messages of a response, to explain an unexpected status."""
    found = []
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, BaseForm) and value.errors:
                found.append(f"{type(value).__name__} errors: {value.errors.get_json_data()}")
    found += [str(m) for m in getattr(response.wsgi_request, "_messages", [])]
    return "; ".join(found)


def _check(
    name: str, method: str, persona: str, world: dict[str, Any], expected: int, *, write: bool
) -> None:
    """One request against its expectation; `write` says whether it must write (else: nothing)."""
    response, written, user = _request(name, method, persona, world)
    where = f"{name} {method} as {persona}"
    status = response.status_code
    assert status == expected, f"{where}: {status}, expected {expected}. {_problems(response)}"
    if write:
        assert written, f"{where} wrote nothing (body: {_problems(response)})"
    else:
        assert not written, f"{where} ({status}) wrote {written}"
    if persona == "anonymous" and expected == 302 and name != "home":
        location = response["Location"]
        assert "/akun/masuk/" in location or "/admin/login/" in location
    if status != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return
    body = response.content.decode()
    visible = set(Ormas.objects.for_user(user).values_list("pk", flat=True))
    leaked = context_ormas(response) - visible
    assert not leaked, f"{where} put objects of invisible ormas {leaked} in the context"
    if persona in ("operator", "other_operator"):
        foreign = world["other_ormas"] if persona == "operator" else world["ormas"]
        assert foreign.name not in body, where
    if persona in ("region_admin", "viewer", "assessor", "operator"):
        assert world["outside_ormas"].name not in body, where
    may_see_phones = ("operator", "region_admin", "national_admin")
    assert "+6281299990001" not in body or persona in may_see_phones, where


def _must_write(name: str, method: str, persona: str, expected: int) -> bool:
    if method != "POST" or persona == "anonymous" or expected in REFUSED:
        return False
    return name not in getattr(OWNER[name], "NO_WRITE", {})


CASES = [
    (name, method, persona)
    for name in sorted(EXPECTED)
    for method in METHODS
    if method in EXPECTED[name]
    for persona in PERSONAS
]


@pytest.mark.parametrize(("name", "method", "persona"), CASES)
def test_access(name: str, method: str, persona: str, world: dict[str, Any]) -> None:
    expected = EXPECTED[name][method][persona]
    _check(
        name,
        method,
        persona,
        world,
        expected,
        write=_must_write(name, method, persona, expected),
    )


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if _other_method(n)))
def test_other_method(name: str, world: dict[str, Any]) -> None:
    """The method a route does not take, as every persona in turn: nothing may be written."""
    method, statuses = _other_method(name)  # type: ignore[misc]
    failures = []
    for persona in PERSONAS:
        try:
            _check(name, method, persona, world, statuses[persona], write=False)
        except AssertionError as exc:
            failures.append(str(exc).splitlines()[0])
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", PERSONAS)
def test_home(persona: str, world: dict[str, Any]) -> None:
    _check("home", "GET", persona, world, HOME[persona], write=False)


# --- Django admin -----------------------------------------------------------------------------


def _admin_pages(world: dict[str, Any]) -> Iterator[tuple[str, str, type[models.Model]]]:
    """(url, kind, model) for the index and every registered model's changelist, change page
    (of some row) and add page."""
    yield reverse("admin:index"), "index", type(None)
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label):
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse("admin:{}_{}_changelist".format(*info)), "changelist", model
        yield reverse("admin:{}_{}_add".format(*info)), "add", model
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            yield reverse("admin:{}_{}_change".format(*info), args=[row.pk]), "change", model


def test_admin(world: dict[str, Any], staff: Any) -> None:
    """Who gets into /admin/ and its pages (per registered model: list, change, add), as every
    persona in turn on one world: these are GETs, nothing may be written."""
    admin_expectations.setup(world, staff)
    _TABLES or _TABLES.extend(_sipko_tables())
    pages = list(_admin_pages(world))
    failures = []
    for persona in admin_expectations.ADMIN_PERSONAS:
        user = world["users"].get(persona)
        client = Client()
        if user is not None:
            client.force_login(user)  # signing in writes (last login): counted from here
        before = _row_counts()
        for url, kind, model in pages:
            expected = admin_expectations.expected(persona, kind, model)
            response = client.get(url)
            if response.status_code != expected:
                failures.append(f"{url} as {persona}: {response.status_code}, expected {expected}")
            elif expected == 302 and "/admin/login/" not in response["Location"]:
                failures.append(f"{url} as {persona}: sent to {response['Location']}")
        if written := _written(before, _row_counts()):
            failures.append(f"the admin pages as {persona} wrote {written}")
    assert not failures, "\n".join(failures)


def test_staff_with_every_view_permission_still_gets_no_admin_page(
    world: dict[str, Any], staff: Any
) -> None:
    """The admin's lists are not scoped by region, so a Kota Blitar staff account allowed to view
    every model must still not open any of them (it would list every region's ormas)."""
    admin_expectations.setup(world, staff)
    staff.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client = Client()
    client.force_login(staff)
    for url, _kind, _model in _admin_pages(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/admin/login/" in response["Location"], url
