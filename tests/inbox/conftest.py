"""The assessment fixtures (a small instrument, a flow through the workflow) for the inbox tests,
and a day inside the `period` fixture's first reporting window."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.assessment.conftest import (  # noqa: F401 (fixtures)
    assessing_period,
    private_media,
    published_small,
    small,
    small_flow,
    verified_small,
)

JAKARTA = dt.timezone(dt.timedelta(hours=7))
# Semester 1 of 2025 was due on 15 July: five days overdue.
ON = dt.date(2025, 7, 20)


@pytest.fixture
def on_day():
    """Freeze time on ON, mid-morning in Blitar."""
    with time_machine.travel(dt.datetime(2025, 7, 20, 9, tzinfo=JAKARTA), tick=False):
        yield ON


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
