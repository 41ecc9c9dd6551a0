"""The access decisions pages, menus and commands used to make with role tests, now named in
`accounts/access.py`; and the menu check: no persona is shown a link that answers 403/404/500."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from sipko.accounts import access
from sipko.accounts.models import Role
from sipko.assessment import services
from tests.access import PERSONAS as ACCESS_PERSONAS
from tests.assessment.factories import SMALL_YAML, Flow, fill_small, published_instrument
from tests.factories import UserFactory

PERSONAS = tuple(p for p in ACCESS_PERSONAS if p != "anonymous")


@pytest.fixture
def users(
    operator, other_operator, viewer, assessor, region_admin, national_admin, outside_admin
) -> dict:
    return {
        "operator": operator,
        "other_operator": other_operator,
        "viewer": viewer,
        "assessor": assessor,
        "region_admin": region_admin,
        "national_admin": national_admin,
        "outside_admin": outside_admin,
        "unassigned_assessor": UserFactory(
            username="penilai_lain", role=Role.ASSESSOR, region_id="35.72"
        ),
        "anonymous": AnonymousUser(),
    }


def decide(predicate, users: dict, *args) -> dict[str, bool]:
    return {name: predicate(user, *args) for name, user in users.items()}


def allowed(decisions: dict[str, bool]) -> set[str]:
    return {name for name, ok in decisions.items() if ok}


# --- who works for an ormas; the menu ----------------------------------------------------------


def test_own_ormas_is_the_operators_only(users, ormas, other_ormas) -> None:
    assert access.own_ormas(users["operator"]) == ormas
    assert access.own_ormas(users["other_operator"]) == other_ormas
    assert allowed(decide(access.works_for_ormas, users)) == {"operator", "other_operator"}
    for name in ("viewer", "assessor", "region_admin", "national_admin", "anonymous"):
        assert access.own_ormas(users[name]) is None


def test_the_menu_follows_the_predicates_of_its_pages(users, ormas) -> None:
    menus = {name: access.menu_for(user) for name, user in users.items()}

    assert {n for n, m in menus.items() if m["registry_admin"]} == {
        "region_admin",
        "national_admin",
        "outside_admin",
    }
    assert {n for n, m in menus.items() if m["compliance"]} == set(PERSONAS) - {
        "operator",
        "other_operator",
    } | {"unassigned_assessor"}
    assert menus["operator"]["own_ormas"] == ormas
    assert not menus["anonymous"]["signed_in"]


# --- eligibility, methodology ------------------------------------------------------------------


def test_eligibility_rules_are_kept_by_a_regions_kesbangpol(users) -> None:
    assert allowed(decide(access.can_set_eligibility, users)) == {"region_admin", "outside_admin"}


def test_methodology_needs_the_period_in_reach(users, period) -> None:
    assert allowed(decide(access.can_see_methodology, users, period)) == {
        "viewer",
        "assessor",
        "unassigned_assessor",
        "region_admin",
        "national_admin",
    }


def test_methodology_page_refuses_an_admin_of_another_region(outside_admin, period) -> None:
    client = Client()
    client.force_login(outside_admin)
    url = reverse("assessment:methodology", args=[period.pk])
    # Outside the admin's reach the period is not even found.
    assert client.get(url).status_code == 404


# --- assessments -------------------------------------------------------------------------------


@pytest.fixture
def verified(period, ormas, operator, region_admin, assessor, settings, tmp_path) -> Flow:
    """A verified (not yet published) assessment of `ormas`, verified by `assessor`."""
    settings.MEDIA_ROOT = tmp_path / "media"
    period.state = "assessment"
    period.save()
    instrument = published_instrument(SMALL_YAML)
    services.period_standard_set(actor=region_admin, period=period, instrument=instrument)
    flow = Flow(
        assessment=services.assessment_open(actor=operator, ormas=ormas, period=period),
        operator=operator,
        admin=region_admin,
        assessor=assessor,
    )
    fill_small(flow)
    flow.submit()
    flow.assign()
    flow.verify_all({"AS": "2"})
    flow.complete()
    return flow


def test_assessor_values_wait_for_publication_for_the_ormas(users, verified) -> None:
    before = allowed(decide(access.can_see_assessor_values, users, verified.fresh()))
    assert before == {"assessor", "region_admin", "national_admin"}

    verified.publish()
    after = allowed(decide(access.can_see_assessor_values, users, verified.fresh()))
    assert after == {"operator", "viewer", "assessor", "region_admin", "national_admin"}


def test_answer_files_are_for_the_ormas_its_assessors_and_kesbangpol(users, verified) -> None:
    assert allowed(decide(access.can_see_answer_files, users, verified.fresh())) == {
        "operator",
        "assessor",
        "region_admin",
        "national_admin",
    }


def test_unpublished_work_is_followed_by_everyone_but_viewers(users) -> None:
    assert allowed(decide(access.follows_unpublished_assessments, users)) == (
        set(users) - {"viewer", "anonymous"}
    )


def test_eligible_assessors_cover_the_ormas_region(assessor, ormas, region_admin) -> None:
    province = UserFactory(username="penilai_jatim", role=Role.ASSESSOR, region_id="35")
    UserFactory(username="penilai_malang", role=Role.ASSESSOR, region_id="35.07")
    UserFactory(username="penilai_cuti", role=Role.ASSESSOR, region_id="35.72", is_active=False)

    assert set(access.assessors_eligible_for(ormas)) == {assessor, province}


def test_only_the_national_admin_loads_national_instruments(users) -> None:
    assert allowed(decide(access.can_load_national_instruments, users)) == {"national_admin"}


def test_a_region_admin_cannot_load_a_national_instrument(region_admin) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.instrument_load(actor=region_admin, text=SMALL_YAML)


# --- reminder recipients -----------------------------------------------------------------------


def test_reminders_go_to_the_ormas_own_operators(ormas, operator, other_operator) -> None:
    UserFactory(username="operator_cuti", role=Role.OPERATOR, ormas=ormas, is_active=False)

    assert set(access.ormas_operators([ormas.pk])) == {operator}


def test_expiry_notices_go_to_the_admins_over_the_region(
    region_admin, outside_admin, national_admin, viewer
) -> None:
    province = UserFactory(username="admin_jatim", role=Role.REGION_ADMIN, region_id="35")

    assert set(access.registry_admins_over("35.72.01.1001")) == {region_admin, province}


# --- the menu: every link opens --------------------------------------------------------------

HREF = re.compile(r'href="(/[^"#]*)"')


def links_in(page: str, start: str, end: str) -> set[str]:
    section = page[page.index(start) : page.index(end, page.index(start))]
    return set(HREF.findall(section.replace("&amp;", "&")))


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_menu_link_answers_an_error(persona, users, period, region_admin) -> None:
    """Home, the main menu and the assessment list's own links: none is 403, 404 or 500."""
    instrument = published_instrument(SMALL_YAML)
    services.period_standard_set(actor=region_admin, period=period, instrument=instrument)
    client = Client(raise_request_exception=False)
    client.force_login(users[persona])

    home = client.get(reverse("home"), follow=True)
    assert home.status_code == 200
    links = links_in(home.content.decode(), '<nav class="navbar', "</nav>")
    assessments = client.get(reverse("assessment:list")).content.decode()
    links |= links_in(assessments, "<main", "</main>")

    assert links, "no links found"
    broken = {}
    for link in sorted(links):
        status = client.get(link).status_code
        if status in (403, 404, 500):
            broken[link] = status
    assert not broken, f"{persona} is shown links that fail: {broken}"
