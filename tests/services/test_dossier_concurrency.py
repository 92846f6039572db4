"""Concurrency on a real PostgreSQL: many threads, each with its own connection."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from dossiers.models import Dossier
from dossiers.services.review import dossier_act
from dossiers.services.submission import dossier_submit
from portal.errors import ConflictError
from tests import factories
from tests.dossiers.builders import Staff, make_dossier

pytestmark = [pytest.mark.services(needs=("postgres",)), pytest.mark.django_db(transaction=True)]


def run_at_once(functions):
    """Start all functions together (a barrier), each in its own thread and DB connection."""
    barrier = threading.Barrier(len(functions))

    def call(function):
        try:
            barrier.wait()
            return function()
        except Exception as exc:  # collected and asserted by the caller
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(functions)) as pool:
        return list(pool.map(call, functions))


def test_fifty_concurrent_submissions_get_codes_1_to_50():
    assert connection.vendor == "postgresql"
    procedure = factories.ProcedureFactory(agencies=[factories.AgencyFactory()])
    staff = Staff(procedure.agencies.first())
    drafts = [make_dossier("draft", procedure=procedure, staff=staff) for _ in range(50)]
    results = run_at_once([lambda d=d: dossier_submit(dossier_id=d.pk, user=d.applicant) for d in drafts])
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    codes = sorted(Dossier.objects.filter(pk__in=[d.pk for d in drafts]).values_list("code", flat=True))
    assert len(set(codes)) == 50
    assert sorted(int(code.rsplit("-", 1)[1]) for code in codes) == list(range(1, 51))


def test_two_officials_receiving_at_once_exactly_one_wins():
    dossier = make_dossier("submitted")
    second = factories.make_official(role="receiver", agency=dossier.agency)
    officials = [dossier.staff.receiver, second]
    results = run_at_once([lambda u=u: dossier_act(dossier_id=dossier.pk, user=u, action="receive") for u in officials])
    assert sum(isinstance(r, Dossier) for r in results) == 1
    assert sum(isinstance(r, ConflictError) for r in results) == 1
    assert dossier.events.filter(action="receive").count() == 1
