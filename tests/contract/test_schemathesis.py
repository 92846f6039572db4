"""The API answers as its OpenAPI schema says: schemathesis generates requests from the live schema
(/api/schema/) and sends them in-process to the WSGI application as an anonymous caller, a citizen
and an official, checking for server errors, undocumented status codes and bodies that do not match.

The run is bounded (a fixed seed, a fixed number of generated cases per operation on top of the
schema's boundary cases) so that it fits CI. Request budgets and the login lockout are raised for it:
a fuzzer would spend them in seconds and then see only 429.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.throttling import ScopedRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from portal.wsgi import application
from tests.contract.world import CALLERS, build_world

pytestmark = pytest.mark.contract

SEED = 20261124
GENERATED_CASES_PER_OPERATION = 25
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": GENERATED_CASES_PER_OPERATION},
        "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True}},
    }
)

schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)
# The rows of the running test; the hooks below draw from them while cases are generated.
current = {}


@pytest.fixture
def unthrottled(monkeypatch, settings):
    rates = dict.fromkeys(ScopedRateThrottle.THROTTLE_RATES, "100000/min")
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    settings.AXES_FAILURE_LIMIT = 100000


@pytest.fixture
def world(transactional_db, unthrottled):
    current["world"] = build_world()
    yield current["world"]
    current.clear()


def _sometimes(generated, real_values):
    """The generated value or, as often as the draw decides, one that names a real row."""
    if not real_values:
        return st.just(generated)
    return st.one_of(st.just(generated), st.sampled_from(real_values))


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    real = current["world"].real_path_parameters()
    return st.fixed_dictionaries(
        {name: _sometimes(value, real.get(name)) for name, value in (path_parameters or {}).items()}
    )


@schema.hook
def flatmap_query(context, query):
    if context.operation.path != "/api/v1/lookup/" or not isinstance(query, dict):
        return st.just(query)
    pairs = [{**query, "code": code, "id_last4": last4} for code, last4 in current["world"].lookup_pairs]
    return _sometimes(query, pairs)


@schema.hook
def flatmap_body(context, body):
    if not isinstance(body, dict):
        return st.just(body)
    bodies = current["world"].real_bodies(context.operation.method.upper(), context.operation.path)
    return _sometimes(body, [{**body, **real} for real in bodies])


@pytest.mark.parametrize("caller", CALLERS)
@schema.parametrize()
@settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented(case, caller, world):
    case.call_and_validate(headers=world.headers_for(caller), checks=CHECKS)
