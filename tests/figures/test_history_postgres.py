"""generate_history on PostgreSQL: COPY from the writer thread, the reference check, all or nothing."""

import pytest

from dossiers.models import Dossier, DossierCodeCounter, DossierEvent
from figures.history import load
from figures.history.replay import WorkflowMismatch
from payments.models import ReceiptCounter
from tests.figures.test_history import digest, forget_history, generate, in_period, make_agency

pytestmark = [pytest.mark.services(needs=("postgres",)), pytest.mark.django_db(transaction=True)]


def test_copy_writes_exact_counts_and_the_same_rows_for_the_same_seed(monkeypatch):
    agency = make_agency()
    checked = []
    original = load.check_references

    def spy(scopes):
        checked.append(scopes)
        return original(scopes)

    monkeypatch.setattr("figures.history.service.check_references", spy)
    result = generate(agency, dossiers=300, online=90, seed=5)
    received = in_period(Dossier.objects.filter(agency=agency), 2020)
    assert received.count() == 300 and received.filter(channel="online").count() == 90
    assert DossierEvent.objects.filter(dossier__agency=agency).count() == result.events
    assert checked, "a superuser's load skips the per-row triggers and checks every reference afterwards"
    first = digest(agency)
    forget_history(agency)
    generate(agency, dossiers=300, online=90, seed=5)
    assert digest(agency) == first


def test_a_failed_load_leaves_no_dossier_and_no_number_taken(monkeypatch):
    agency = make_agency()
    generate(agency, dossiers=40, online=10, seed=1)
    counters = list(DossierCodeCounter.objects.filter(agency=agency).order_by("day").values_list("day", "last_value"))
    receipts = list(ReceiptCounter.objects.order_by("year").values_list("year", "last_value"))
    dossiers = Dossier.objects.count()

    def broken(scopes):
        raise WorkflowMismatch("broken on purpose")

    monkeypatch.setattr("figures.history.service.check_references", broken)
    with pytest.raises(WorkflowMismatch):
        generate(agency, dossiers=40, online=10, seed=2)
    assert Dossier.objects.count() == dossiers
    assert list(DossierCodeCounter.objects.filter(agency=agency).order_by("day").values_list("day", "last_value")) == (
        counters
    )
    assert list(ReceiptCounter.objects.order_by("year").values_list("year", "last_value")) == receipts


@pytest.mark.django_db
def test_inside_a_transaction_the_copy_joins_it():
    """A caller with its own transaction (a test, a script) gets the rows in it, foreign keys checked per row."""
    agency = make_agency()
    result = generate(agency, dossiers=60, online=20)
    assert in_period(Dossier.objects.filter(agency=agency), 2020).count() == 60 == sum(result.received.values())
