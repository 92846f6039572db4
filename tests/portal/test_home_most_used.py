"""The home page shows the services most used over the last months, from the daily rollups."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from figures.models import DailyRollup
from figures.scope import today
from portal.views import MOST_USED_COUNT
from tests import factories

pytestmark = pytest.mark.django_db


def received(procedure, count, *, days_ago=1):
    DailyRollup.objects.create(
        day=today() - timedelta(days=days_ago),
        agency=procedure.agencies.first(),
        procedure=procedure,
        channel="online",
        received=count,
    )


def test_the_most_used_services_lead_the_home_page(client, django_assert_max_num_queries):
    agency = factories.AgencyFactory()
    busy, busier, idle, stale, gone = factories.ProcedureFactory.create_batch(5, agencies=[agency])
    received(busy, 5)
    received(busier, 3)
    received(busier, 4, days_ago=10)
    received(stale, 50, days_ago=400)  # long ago: does not count
    received(gone, 99)
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    with django_assert_max_num_queries(4):
        html = client.get(reverse("home")).content.decode()

    section = html[html.index('id="most-used-title"') : html.index('id="levels-title"')]
    assert section.index(busier.name) < section.index(busy.name)
    assert idle.name not in section and stale.name not in section and gone.name not in section
    assert reverse("procedures:detail", args=[busier.code]) in section


def test_at_most_a_handful_are_shown_and_none_without_figures(client):
    agency = factories.AgencyFactory()
    assert 'id="most-used-title"' not in client.get(reverse("home")).content.decode()
    for n, procedure in enumerate(factories.ProcedureFactory.create_batch(MOST_USED_COUNT + 2, agencies=[agency])):
        received(procedure, n + 1)
    cache.clear()
    html = client.get(reverse("home")).content.decode()
    section = html[html.index('id="most-used-title"') : html.index('id="levels-title"')]
    assert section.count("<article") == MOST_USED_COUNT


def test_a_procedure_processed_the_same_day_says_so(client):
    same_day = factories.ProcedureFactory(processing_days=0, agencies=[factories.AgencyFactory()])
    three = factories.ProcedureFactory(processing_days=3, agencies=[factories.AgencyFactory()])
    assert "Trong ngày" in client.get(reverse("procedures:detail", args=[same_day.code])).content.decode()
    assert "0 ngày làm việc" not in client.get(reverse("procedures:catalog")).content.decode()
    assert "3 ngày làm việc" in client.get(reverse("procedures:detail", args=[three.code])).content.decode()
