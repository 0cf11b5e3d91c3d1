"""Thor: the API key, the 403 switches, the request log, rate limit, faults and 404s."""

from collections.abc import Awaitable, Callable
import json
import time

import aiohttp
import pytest

from simulator import Simulator
from simulator.faults import Fault
from simulator.thor.model import ThorAccount

ThorCall = Callable[..., Awaitable[aiohttp.ClientResponse]]


async def _message(response: aiohttp.ClientResponse) -> str:
    body = await response.json()
    assert set(body) == {"message"}
    return str(body["message"])


async def test_missing_or_unknown_key_is_api_key_not_found(thor_call: ThorCall) -> None:
    for key in (None, "", "nobody"):
        response = await thor_call("GET", "/chargeboxes", key=key)
        assert response.status == 403
        assert await _message(response) == "APIKeyNotFound"
    assert (await thor_call("GET", "/chargeboxes")).status == 200


async def test_rest_api_disabled(
    sim: Simulator, thor_account: ThorAccount, thor_call: ThorCall
) -> None:
    sim.thor.set_rest_api_enabled(thor_account.api_key, False)
    for method, path in (("GET", "/chargeboxes"), ("POST", "/charges/start")):
        response = await thor_call(method, path, {"chargebox": "x", "connector": 1})
        assert response.status == 403
        assert await _message(response) == "RestAPINotEnabled"
    sim.thor.set_rest_api_enabled(thor_account.api_key, True)
    assert (await thor_call("GET", "/chargeboxes")).status == 200


async def test_source_ip_allowlist(
    sim: Simulator, thor_account: ThorAccount, thor_call: ThorCall
) -> None:
    sim.thor.set_source_ip(thor_account.api_key, "203.0.113.7")
    response = await thor_call("GET", "/charges/running")
    assert response.status == 403
    assert await _message(response) == "InvalidSourceIPAddr"
    sim.thor.set_source_ip(thor_account.api_key, "127.0.0.1")
    assert (await thor_call("GET", "/charges/running")).status == 200
    sim.thor.set_source_ip(thor_account.api_key, None)
    assert (await thor_call("GET", "/charges/running")).status == 200


async def test_the_key_is_checked_before_the_switches(
    sim: Simulator, thor_account: ThorAccount, thor_call: ThorCall
) -> None:
    sim.thor.set_rest_api_enabled(thor_account.api_key, False)
    sim.thor.set_source_ip(thor_account.api_key, "203.0.113.7")
    assert await _message(await thor_call("GET", "/chargeboxes", key="wrong")) == "APIKeyNotFound"
    assert await _message(await thor_call("GET", "/chargeboxes")) == "RestAPINotEnabled"


async def test_request_log_names_the_account(
    sim: Simulator, thor_account: ThorAccount, thor_call: ThorCall
) -> None:
    await thor_call("GET", "/chargeboxes")
    await thor_call("GET", "/chargeboxes", key="wrong")
    sim.thor.set_rest_api_enabled(thor_account.api_key, False)
    await thor_call("GET", "/charges/running")
    records = [(r.provider, r.method, r.path, r.status, r.account) for r in sim.requests]
    base = "/thor/latest/integration"
    assert records == [
        ("thor", "GET", f"{base}/chargeboxes", 200, thor_account.api_key),
        ("thor", "GET", f"{base}/chargeboxes", 403, None),
        ("thor", "GET", f"{base}/charges/running", 403, thor_account.api_key),
    ]
    assert sim.requests.count(provider="thor", account=thor_account.api_key) == 2


async def test_other_paths_and_methods_are_404(thor_call: ThorCall) -> None:
    for method, path in (
        ("GET", "/rfid/get"),
        ("DELETE", "/chargeboxes"),
        ("GET", "/charges/start"),
        ("GET", "/nothing/here"),
    ):
        response = await thor_call(method, path)
        assert response.status == 404, (method, path)
        assert await _message(response) == "NotFound"


async def test_account_rate_limit(sim: Simulator, thor_call: ThorCall) -> None:
    sim.thor.settings.requests_per_minute = 2
    sim.thor.settings.burst = 2
    assert (await thor_call("GET", "/chargeboxes")).status == 200
    assert (await thor_call("GET", "/charges/running")).status == 200
    response = await thor_call("GET", "/chargeboxes")
    assert response.status == 429
    assert await _message(response) == "TooManyRequests"
    assert 25 <= int(response.headers["Retry-After"]) <= 30
    sim.clock.advance(30)
    assert (await thor_call("GET", "/chargeboxes")).status == 200
    sim.thor.reset_rate_limits()
    assert (await thor_call("GET", "/chargeboxes")).status == 200


async def test_faults_come_before_the_key(sim: Simulator, thor_call: ThorCall) -> None:
    sim.thor.faults.add(Fault(status=500, times=1, path="/chargeboxes"))
    response = await thor_call("GET", "/chargeboxes", key="wrong")
    assert response.status == 500
    assert await _message(response) == "Injected fault"
    assert (await thor_call("GET", "/chargeboxes", key="wrong")).status == 403

    sim.thor.faults.add(Fault(malformed=True, times=1))
    response = await thor_call("GET", "/charges/running")
    assert response.status == 200
    with pytest.raises(json.JSONDecodeError):
        await response.json(content_type=None)

    sim.thor.faults.add(Fault(delay=0.2, times=1, method="GET"))
    started = time.monotonic()
    assert (await thor_call("GET", "/charges/running")).status == 200
    assert time.monotonic() - started >= 0.2
    assert len(sim.thor.faults) == 0
    assert sim.requests.count(provider="thor", status=500) == 1


async def test_a_renewed_key_replaces_the_old_one(
    sim: Simulator,
    thor_account: ThorAccount,
    thor_call: ThorCall,
    thor_control: Callable[..., Awaitable[object]],
) -> None:
    """The dashboard's new key opens the same account; the old one is refused."""
    old = thor_account.api_key
    before = await (await thor_call("GET", "/chargeboxes")).json()

    await thor_control("POST", f"/accounts/{old}/renew", {"api_key": "renewed-key"})

    refused = await thor_call("GET", "/chargeboxes", key=old)
    assert refused.status == 403
    assert await _message(refused) == "APIKeyNotFound"
    renewed = await thor_call("GET", "/chargeboxes", key="renewed-key")
    assert await renewed.json() == before
    await thor_control("POST", f"/accounts/{old}/renew", {"api_key": "again"}, status=404)
    await thor_control("POST", "/accounts/renewed-key/renew", {"api_key": old}, status=409)
