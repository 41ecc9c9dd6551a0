"""Access expectations of the Django admin (/admin/).

Only superusers work there (in the demo: the national admin): the admin's lists are not scoped
by region, so a `staff` account (`is_staff`, no superuser) is sent to the admin's login page like
everyone else, whatever model permissions it is given. Registry, planning, reporting and
assessment records are read-only in the admin: they change through SIPKO's pages, whose services
scope, guard and audit every write.
"""

from __future__ import annotations

from typing import Any

from tests.access import PERSONAS

ADMIN_PERSONAS = [*PERSONAS, "staff"]
SUPERUSERS = {"national_admin"}

# Every model registered in the admin, and whether a superuser may add one there.
REGISTERED = {
    "accounts.User": True,
    "auth.Group": True,
    "assessment.Appeal": False,
    "assessment.Assessment": False,
    "assessment.EligibilityRule": False,
    "assessment.FollowUp": False,
    "assessment.Instrument": False,
    "planning.Period": False,
    "planning.Programme": False,
    "planning.ProgrammeIndicator": False,
    "planning.Rpjmd": False,
    "planning.RpjmdItem": False,
    "regions.Region": True,
    "registry.Assignment": True,
    "registry.Bidang": True,
    "registry.Document": False,
    "registry.Ormas": False,
    "reporting.ActivityReport": False,
    "reporting.Evidence": False,
    "reporting.FinancialSummary": False,
    "reporting.ReminderLog": False,
    # Third-party: sign-in attempts (django-axes) and background task results.
    "axes.AccessAttempt": False,
    "axes.AccessFailureLog": False,
    "axes.AccessLog": False,
    "django_tasks_database.DBTaskResult": False,
}


def setup(world: dict[str, Any], staff: Any) -> None:
    """The national admin as the demo has it (staff and superuser), the staff persona, and the
    assessment records, so that every model has a row to open."""
    from tests.access import assessment

    national = world["users"]["national_admin"]
    national.is_staff = national.is_superuser = True
    national.save(update_fields=["is_staff", "is_superuser"])
    world["users"]["staff"] = staff
    assessment.build(world, "all")


def expected(persona: str, kind: str, model: Any) -> int:
    """The status of an admin page ("index", "changelist", "add" or "change") for a persona."""
    if persona in SUPERUSERS:
        if kind == "add":
            return 200 if REGISTERED[model._meta.label] else 403
        return 200
    return 302
