"""Control API of the Thor simulator (mounted under `/_sim/thor`, no auth)."""

from typing import Any

from aiohttp import web

from simulator.control import (
    add_fault_routes,
    add_reset_routes,
    add_settings_routes,
    control_errors_middleware,
    only,
)
from simulator.jsonbody import (
    BodyError,
    opt_bool,
    opt_float,
    opt_int,
    opt_str,
    read_object,
    req_float,
    req_int,
    req_str,
)

from .boxes import CHARGEBOX_FIELDS, CHARGEBOX_UPDATES
from .cloud import SimulatedThor
from .push import PUSH_KINDS


def _optional_url(body: dict[str, Any], key: str) -> str | None:
    url = opt_str(body, key)
    if url is not None and not url.startswith(("http://", "https://")):
        raise BodyError(f"{key} must be an http(s) URL")
    return url


class _ThorControl:
    def __init__(self, cloud: SimulatedThor) -> None:
        self.cloud = cloud

    # --- accounts ---------------------------------------------------------------

    async def list_accounts(self, request: web.Request) -> web.Response:
        return web.json_response([self.cloud.account_json(a.api_key) for a in self.cloud.accounts])

    async def add_account(self, request: web.Request) -> web.Response:
        body = await read_object(request)
        only(body, {"api_key", "name", "rest_api_enabled", "source_ip"})
        enabled = opt_bool(body, "rest_api_enabled")
        account = self.cloud.add_account(
            req_str(body, "api_key"),
            opt_str(body, "name"),
            rest_api_enabled=True if enabled is None else enabled,
            source_ip=opt_str(body, "source_ip"),
        )
        return web.json_response(self.cloud.account_json(account.api_key))

    async def get_account(self, request: web.Request) -> web.Response:
        return web.json_response(self.cloud.account_json(request.match_info["api_key"]))

    async def update_account(self, request: web.Request) -> web.Response:
        """The 403 switches: `rest_api_enabled` and `source_ip` (null: any address)."""
        api_key = request.match_info["api_key"]
        body = await read_object(request)
        only(body, {"rest_api_enabled", "source_ip"})
        enabled = opt_bool(body, "rest_api_enabled")
        source_ip = opt_str(body, "source_ip")
        self.cloud.account(api_key)  # 404 before any change
        if enabled is not None:
            self.cloud.set_rest_api_enabled(api_key, enabled)
        if "source_ip" in body:
            self.cloud.set_source_ip(api_key, source_ip)
        return web.json_response(self.cloud.account_json(api_key))

    async def renew_key(self, request: web.Request) -> web.Response:
        """The dashboard's "new key": `{"api_key": "<new>"}`; the old key stops working."""
        body = await read_object(request)
        only(body, {"api_key"})
        account = self.cloud.renew_key(request.match_info["api_key"], req_str(body, "api_key"))
        return web.json_response(self.cloud.account_json(account.api_key))

    async def add_user(self, request: web.Request) -> web.Response:
        body = await read_object(request)
        only(body, {"id", "alias", "email"})
        user = self.cloud.add_user(
            request.match_info["api_key"],
            req_str(body, "id"),
            opt_str(body, "alias"),
            opt_str(body, "email"),
        )
        return web.json_response(user)

    async def add_chargebox(self, request: web.Request) -> web.Response:
        body = await read_object(request, allow_empty=True)
        only(body, set(CHARGEBOX_FIELDS))
        options = {key: value for key, value in body.items() if value is not None}
        box = self.cloud.add_chargebox(request.match_info["api_key"], **options)
        return web.json_response(self.cloud.state_json(box.id))

    async def bulk(self, request: web.Request) -> web.Response:
        """`{"chargeboxes": N, "connectors": M}` plus any chargebox field for all of them."""
        body = await read_object(request)
        count = req_int(body, "chargeboxes")
        connectors = opt_int(body, "connectors") or 1
        options = {k: v for k, v in body.items() if k not in {"chargeboxes", "connectors"}}
        only(options, set(CHARGEBOX_FIELDS - {"id", "connectors"}))
        boxes = self.cloud.add_chargeboxes(
            request.match_info["api_key"], count, connectors, **options
        )
        return web.json_response({"created": len(boxes), "ids": [box.id for box in boxes]})

    # --- notifications ------------------------------------------------------------

    async def get_push(self, request: web.Request) -> web.Response:
        return web.json_response(self.cloud.account(request.match_info["api_key"]).push.to_json())

    async def set_push(self, request: web.Request) -> web.Response:
        """`{"url"}` for every kind, or `{"start","stop","meters"}` each (null removes).

        `{"shape": {"start"?, "time"?, "stop_energy"?, "meters"?}}` picks the documented
        variants the notifications are written in (PushShape).
        """
        body = await read_object(request)
        only(body, {"url", "shape", *PUSH_KINDS})
        shape = body.get("shape")
        if shape is not None and not isinstance(shape, dict):
            raise BodyError("shape must be an object")
        if shape:
            self.cloud.set_push_shape(request.match_info["api_key"], **shape)
        urls: dict[str, str | None] = {}
        if "url" in body:
            url = _optional_url(body, "url")
            urls = dict.fromkeys(PUSH_KINDS, url)
        for kind in PUSH_KINDS:
            if kind in body:
                urls[kind] = _optional_url(body, kind)
        account = self.cloud.set_push_urls(request.match_info["api_key"], urls)
        return web.json_response(account.push.to_json())

    async def push_meters(self, request: web.Request) -> web.Response:
        body = await read_object(request, allow_empty=True)
        only(body, {"chargebox", "connector"})
        sent = self.cloud.push_meters(
            request.match_info["api_key"], opt_str(body, "chargebox"), opt_int(body, "connector")
        )
        return web.json_response({"sent": sent})

    async def replay_push(self, request: web.Request) -> web.Response:
        """`{"index"}`: post a kept delivery again, unchanged (negative: from the newest)."""
        body = await read_object(request)
        only(body, {"index"})
        sent = self.cloud.replay_push(request.match_info["api_key"], req_int(body, "index"))
        return web.json_response({"sent": sent})

    async def drain_push(self, request: web.Request) -> web.Response:
        """Wait for notifications under way (tests that observe a receiving server)."""
        await self.cloud.push.drain()
        return web.json_response(self.cloud.account(request.match_info["api_key"]).push.to_json())

    # --- chargeboxes ---------------------------------------------------------------

    async def get_chargebox(self, request: web.Request) -> web.Response:
        return web.json_response(self.cloud.state_json(request.match_info["chargebox_id"]))

    async def get_chargebox_json(self, request: web.Request) -> web.Response:
        """What `GET /chargeboxes/{id}` answers, without key, switches or limits."""
        return web.json_response(self.cloud.chargebox_json(request.match_info["chargebox_id"]))

    async def update_chargebox(self, request: web.Request) -> web.Response:
        box_id = request.match_info["chargebox_id"]
        body = await read_object(request)
        only(body, set(CHARGEBOX_UPDATES))
        connected = opt_bool(body, "connected")
        changes = {k: v for k, v in body.items() if k != "connected" and v is not None}
        self.cloud.update_chargebox(box_id, **changes)
        if connected is not None:
            self.cloud.set_connected(box_id, connected)
        return web.json_response(self.cloud.state_json(box_id))

    def _box_connector(self, request: web.Request) -> tuple[str, int]:
        number = request.match_info["connector"]
        if not number.isdigit():
            raise BodyError("the connector is a number")
        return request.match_info["chargebox_id"], int(number)

    async def plug(self, request: web.Request) -> web.Response:
        box_id, number = self._box_connector(request)
        body = await read_object(request, allow_empty=True)
        only(body, {"max_power_w", "full_after_wh"})
        self.cloud.plug_in(
            box_id,
            number,
            opt_int(body, "max_power_w") or 11_000,
            opt_int(body, "full_after_wh"),
        )
        return web.json_response(self.cloud.state_json(box_id))

    async def unplug(self, request: web.Request) -> web.Response:
        box_id, number = self._box_connector(request)
        self.cloud.unplug(box_id, number)
        return web.json_response(self.cloud.state_json(box_id))

    async def start_local(self, request: web.Request) -> web.Response:
        """A charge started at the box: `{"id_tag", "user"?, "mode"?: local|remote}`."""
        box_id, number = self._box_connector(request)
        body = await read_object(request)
        only(body, {"id_tag", "user", "mode"})
        charge = self.cloud.start_local(
            box_id,
            number,
            req_str(body, "id_tag"),
            opt_str(body, "user"),
            opt_str(body, "mode") or "local",
        )
        return web.json_response(charge.to_json() | {"id_tag": charge.id_tag})

    async def unlock(self, request: web.Request) -> web.Response:
        """The connector is unlocked: a `msg: "stop"` notification (the charge goes on)."""
        box_id, number = self._box_connector(request)
        return web.json_response({"sent": self.cloud.push_unlock(box_id, number)})

    async def stop_local(self, request: web.Request) -> web.Response:
        box_id, number = self._box_connector(request)
        charge = self.cloud.stop_local(box_id, number)
        return web.json_response(charge.to_json() | {"id_tag": charge.id_tag})

    async def add_finished_charge(self, request: web.Request) -> web.Response:
        """History: `{"connector", "started_at", "finished_at" (epoch s), "energy_wh", …}`."""
        body = await read_object(request)
        only(
            body,
            {
                "connector",
                "started_at",
                "finished_at",
                "energy_wh",
                "id_tag",
                "user",
                "mode",
                "price",
            },
        )
        charge = self.cloud.add_finished_charge(
            request.match_info["chargebox_id"],
            req_int(body, "connector"),
            req_float(body, "started_at"),
            req_float(body, "finished_at"),
            req_float(body, "energy_wh"),
            id_tag=opt_str(body, "id_tag"),
            user=opt_str(body, "user"),
            mode=opt_str(body, "mode") or "local",
            price=opt_float(body, "price"),
        )
        return web.json_response(charge.to_json() | {"id_tag": charge.id_tag})

    async def add_reservation(self, request: web.Request) -> web.Response:
        """`{"connector", "expires_in" (s) | "expiry_date" (epoch ms), "id_tag"?, …}`."""
        body = await read_object(request)
        only(body, {"connector", "expires_in", "expiry_date", "id_tag", "user", "client"})
        expires_in = opt_float(body, "expires_in")
        expiry_date = opt_float(body, "expiry_date")
        if expires_in is not None and expiry_date is None:
            expiry_at = self.cloud.clock.now() + expires_in
        elif expiry_date is not None and expires_in is None:
            expiry_at = expiry_date / 1000
        else:
            raise BodyError("give either expires_in or expiry_date")
        reservation = self.cloud.add_reservation(
            request.match_info["chargebox_id"],
            req_int(body, "connector"),
            expiry_at,
            id_tag=opt_str(body, "id_tag"),
            user=opt_str(body, "user"),
            client=opt_str(body, "client") or "thor-app",
        )
        return web.json_response(reservation.to_json(self.cloud.clock.now()))


def build_control_app(cloud: SimulatedThor) -> web.Application:
    """Routes for tests and developers to shape the simulated Thor cloud."""
    app = web.Application(middlewares=[control_errors_middleware])
    control = _ThorControl(cloud)
    account = "/accounts/{api_key}"
    box = "/chargeboxes/{chargebox_id}"
    connector = box + "/connectors/{connector}"
    app.router.add_get("/accounts", control.list_accounts)
    app.router.add_post("/accounts", control.add_account)
    app.router.add_get(account, control.get_account)
    app.router.add_post(account, control.update_account)
    app.router.add_post(account + "/users", control.add_user)
    app.router.add_post(account + "/renew", control.renew_key)
    app.router.add_post(account + "/chargeboxes", control.add_chargebox)
    app.router.add_post(account + "/bulk", control.bulk)
    app.router.add_get(account + "/push", control.get_push)
    app.router.add_post(account + "/push", control.set_push)
    app.router.add_post(account + "/push/meters", control.push_meters)
    app.router.add_post(account + "/push/replay", control.replay_push)
    app.router.add_post(account + "/push/drain", control.drain_push)
    app.router.add_get(box, control.get_chargebox)
    app.router.add_post(box, control.update_chargebox)
    app.router.add_get(box + "/json", control.get_chargebox_json)
    app.router.add_post(box + "/charges", control.add_finished_charge)
    app.router.add_post(box + "/reservations", control.add_reservation)
    app.router.add_post(connector + "/plug", control.plug)
    app.router.add_post(connector + "/unplug", control.unplug)
    app.router.add_post(connector + "/start", control.start_local)
    app.router.add_post(connector + "/stop", control.stop_local)
    app.router.add_post(connector + "/unlock", control.unlock)
    add_settings_routes(app, cloud.settings)
    add_fault_routes(app, cloud.faults)
    add_reset_routes(app, reset_rate_limits=cloud.reset_rate_limits, reset=cloud.reset)
    return app
