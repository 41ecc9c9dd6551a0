"""Access expectations per app, collected by tests/test_access_matrix.py.

Each module here defines:
- `EXPECTED`: route name → {method: {persona: status}} for each method the route takes ("GET",
  "POST"; `page`, `action` and `form_page` below build them). The other method is checked too: a
  POST-only route answers a GET with 405; a page that only reads answers a POST like a GET
  (its view ignores the method) and writes nothing;
- `post_data(name, world, user)`: the body of a route's POST as `user` sends it: the fields its
  form expects, with valid values, so that an allowed POST really writes (`QUERY` holds a query
  string when the view reads one);
- `NO_WRITE` (optional): routes whose allowed POST writes nothing in this world, with the reason;
- `url_kwargs(name, world)`: the URL arguments of a route, from the shared `world`;
- `setup(world)`: adds the objects its routes need to `world` (a dict).

`admin.py` holds the expectations of the Django admin (/admin/) instead, by page kind.

Statuses: 200 ok, 302 redirect (to login for anonymous, or after a POST), 403 the object is
visible but the action is not allowed, 404 the object is outside the persona's reach, 405 the
method is not taken. A refused request (302 for anonymous, 403, 404, 405) must write nothing,
nor may any GET; an allowed POST must write (unless it is in `NO_WRITE`).
"""

from __future__ import annotations

from typing import Any

from django import forms

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


# Editing something that belongs to `ormas` (Kota Blitar, operated by `operator`).
OWN_EDIT = row(
    operator=200,
    other_operator=404,
    viewer=403,
    assessor=403,
    region_admin=200,
    national_admin=200,
    outside_admin=404,
)
# Writing it: the POST redirects (302) to what was changed.
OWN_POST = {**OWN_EDIT, "operator": 302, "region_admin": 302, "national_admin": 302}
# Reading something that belongs to `ormas`.
OWN_READ = row(
    operator=200,
    other_operator=404,
    viewer=200,
    assessor=200,
    region_admin=200,
    national_admin=200,
    outside_admin=404,
)


# --- methods ----------------------------------------------------------------------------------

# A signed-in user asking with a method the route does not take (login comes first: anonymous
# users are sent to the login page).
NOT_ALLOWED = row(**dict.fromkeys(PERSONAS[1:], 405))


def page(statuses: dict[str, int]) -> dict[str, dict[str, int]]:
    """A page that only reads: GET answers `statuses`."""
    return {"GET": statuses}


def action(statuses: dict[str, int]) -> dict[str, dict[str, int]]:
    """A POST-only action; a GET answers 405."""
    return {"POST": statuses}


def form_page(get: dict[str, int], post: dict[str, int]) -> dict[str, dict[str, int]]:
    """A GET page with a form whose POST (with the body from `post_data`) writes."""
    return {"GET": get, "POST": post}


# A key of a `post_data` body that goes into the URL's query string instead of the body.
QUERY = "?"


def form_body(unbound: Any, **changes: Any) -> dict[str, Any]:
    """The POST body a browser sends for an unbound form as the page shows it (its initial
    values), with `changes` on top (None drops a field): a valid body for an edit form."""
    body: dict[str, Any] = {}
    for bound in unbound:
        widget = bound.field.widget
        value = bound.value()
        if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
            continue
        if isinstance(widget, forms.NullBooleanSelect):
            body[bound.html_name] = {True: "true", False: "false"}.get(value, "unknown")
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                body[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            body[bound.html_name] = [str(v) for v in value]
        elif isinstance(widget, forms.widgets.ChoiceWidget):
            body[bound.html_name] = "" if value is None else str(value)
        elif value is not None:
            formatted = widget.format_value(value)
            body[bound.html_name] = "" if formatted is None else formatted
    body.update({k: v for k, v in changes.items()})
    return {k: v for k, v in body.items() if v is not None}
