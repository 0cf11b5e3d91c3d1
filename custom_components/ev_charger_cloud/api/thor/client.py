"""Client for the Thor (thor.tools) integration REST API.

An API key from the Thor dashboard's Development page (header ``X-Api-Key``)
gives access to the operator's chargeboxes: read them and their charges, start
and stop charges. Thor's quirks stay in this package: every refusal is a status
plus a message name in a body whose format is undocumented, and a 403 means four
different things (only ``APIKeyNotFound`` is a wrong key): refusals.py maps them.
See the project's Thor reference for what is documented and what is assumed.

There is no sign-in that could tell a wrong key from a glitch: every request
carries the key. So a refused key (401, or 403 ``APIKeyNotFound`` or without a
name) is AuthenticationError only once the refusals have lasted
``key_refusal_grace`` seconds, counted from the first refusal since the last
answer that accepted the key (2xx); before that it is TokenRejectedError, a
failed poll. The integration's polls use ``KEY_REFUSAL_GRACE`` (15 minutes);
a bare client (grace 0) and the config flow's key check refuse at once. The
start of the refusals is handed to ``on_key_refusal`` to be kept across restarts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
import json
import logging
import time
from typing import Any
from urllib.parse import quote

import aiohttp

from ..errors import (
    AuthenticationError,
    ChargerCloudError,
    TokenRejectedError,
    UnexpectedResponseError,
    WrongServerError,
)
from ..http import JsonHttp, Response
from .models import ThorCharge, ThorChargebox, ThorFinishedCharge, ThorReservation
from .parse import (
    parse_chargebox,
    parse_chargeboxes,
    parse_finished_charges,
    parse_id_tag,
    parse_reservations,
    parse_running_charges,
)
from .refusals import check_answer

_LOGGER = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.thor.tools/latest/integration"
API_KEY_HEADER = "X-Api-Key"

# How long the key must be refused, poll after poll, before it counts as wrong (s).
KEY_REFUSAL_GRACE = 15 * 60.0


class ThorClient:
    """One Thor operator account, addressed with its integration API key."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        api_key: str,
        *,
        base_url: str | None = None,
        timeout: float | None = None,
        key_refusal_grace: float = 0.0,
        key_refused_since: float | None = None,
        on_key_refusal: Callable[[float | None], None] | None = None,
    ) -> None:
        """Set up the client; ``base_url`` replaces the production API (e.g. a simulator).

        ``key_refusal_grace``: seconds of refusals before the key counts as wrong
        (see the module's docstring); ``key_refused_since`` (epoch s) continues a
        count kept by ``on_key_refusal``, which gets each start and end of one.
        """
        # Thor may name its error in plain text: a body that is not JSON stays as text.
        # and 429 and 5xx are Thor's to map too (a refused charge; the name in the error).
        self._http = JsonHttp(
            session,
            timeout=timeout,
            read_body=lambda text, _status: _body(text),
            shared_status_errors=False,
        )
        self._headers = {API_KEY_HEADER: api_key, "Accept": "application/json"}
        self._base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self._key_grace = key_refusal_grace
        self._refused_since = key_refused_since
        self._on_key_refusal = on_key_refusal

    @property
    def key_refused_since(self) -> float | None:
        """When (epoch s) the refusals of the key began; None while it is accepted."""
        return self._refused_since

    @property
    def base_url(self) -> str:
        """The API root every path is appended to."""
        return self._base_url

    # --- requests -------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        chargebox: bool = False,
        charge: bool = False,
    ) -> Response:
        """Send one request through the shared transport and map Thor's refusals.

        A body that is not JSON stays as text (a 403's name decides between a wrong
        key and a dashboard setting), and every status is mapped here (refusals.py).

        ``chargebox``: the request names a chargebox, so a 404 means it is gone;
        ``charge``: a start or stop, so a refusal is a ChargeRefusedError.
        """
        response = await self._http.request(
            method, self._base_url + path, params=params, headers=self._headers, json_body=body
        )
        if 200 <= response.status < 300:
            self._key_counted(None)
            if method == "GET" and isinstance(response.body, str):
                # Every read answers JSON: a page of text is not Thor's API answering.
                raise WrongServerError("The answer is not JSON: Thor's API is not at this URL")
        try:
            return check_answer(response, chargebox=chargebox, charge=charge)
        except AuthenticationError as err:
            raise self._key_refused() from err

    def _key_refused(self) -> ChargerCloudError:
        """The error of a refused key: wrong only after the grace (module docstring)."""
        now = time.time()
        since = self._refused_since
        if since is None or since > now:  # the first refusal, or the clock went back
            since = now
            self._key_counted(now)
        if now - since >= self._key_grace:
            return AuthenticationError("Thor refused the API key")
        return TokenRejectedError(
            f"Thor refused the API key for {now - since:.0f} s; it counts as wrong "
            f"after {self._key_grace:.0f} s"
        )

    def _key_counted(self, since: float | None) -> None:
        if since != self._refused_since:
            self._refused_since = since
            if self._on_key_refusal is not None:
                self._on_key_refusal(since)

    # --- reads ----------------------------------------------------------------

    async def async_get_chargeboxes(self, only_active: bool = False) -> list[ThorChargebox]:
        """The account's chargeboxes (without occupied and reserved connectors).

        Thor's own default is active ones only; discovery wants all of them.
        """
        params = {"onlyactive": "true" if only_active else "false"}
        return parse_chargeboxes((await self._request("GET", "/chargeboxes", params=params)).body)

    async def async_get_chargebox(self, chargebox_id: str) -> ThorChargebox:
        """One chargebox, with its occupied and reserved connectors."""
        response = await self._request("GET", _chargebox_path(chargebox_id), chargebox=True)
        return parse_chargebox(response.body, chargebox_id)

    async def async_get_running_charges(self, chargebox: str | None = None) -> list[ThorCharge]:
        """The charges running now, on every chargebox or on one."""
        response = await self._request(
            "GET", "/charges/running", params=_only(chargebox), chargebox=chargebox is not None
        )
        return parse_running_charges(response.body)

    async def async_get_finished_charges(
        self, start: date, end: date, chargebox: str | None = None
    ) -> list[ThorFinishedCharge]:
        """The charges finished from ``start`` to ``end`` (days; Thor requires both)."""
        if end < start:
            raise ValueError("The end day is before the start day")
        params = {"from": start.strftime("%Y%m%d"), "to": end.strftime("%Y%m%d")}
        params.update(_only(chargebox) or {})
        response = await self._request(
            "GET", "/charges/finished", params=params, chargebox=chargebox is not None
        )
        return parse_finished_charges(response.body)

    async def async_get_reservations(self, chargebox: str | None = None) -> list[ThorReservation]:
        """The reservations, of every chargebox or of one."""
        response = await self._request(
            "GET", "/reservations", params=_only(chargebox), chargebox=chargebox is not None
        )
        return parse_reservations(response.body)

    # --- commands -------------------------------------------------------------

    async def async_start_charge(self, chargebox: str, connector: int) -> str | None:
        """Ask the chargebox to start a charge; returns the id tag stopping it needs.

        Only possible on chargeboxes whose payment type is Free. Success means the
        command was sent, not that the charge started: the running charges tell.
        A 2xx without a readable tag is a success too: None.
        """
        response = await self._request(
            "POST",
            "/charges/start",
            body={"chargebox": chargebox, "connector": connector},
            chargebox=True,
            charge=True,
        )
        try:
            return parse_id_tag(response.body)
        except UnexpectedResponseError:
            _LOGGER.debug("Thor accepted the start without telling its id tag")
            return None

    async def async_stop_charge(
        self, chargebox: str, connector: int, id_tag: str, transaction: int | None = None
    ) -> None:
        """Ask the chargebox to stop the charge on ``connector``.

        ``id_tag`` is the tag from the start (or the running charge's); ``transaction``
        the running charge's id. Success (200, empty) means the command was sent.
        """
        body: dict[str, Any] = {"chargebox": chargebox, "connector": connector, "id_tag": id_tag}
        if transaction is not None:
            body["transaction"] = transaction
        await self._request("POST", "/charges/stop", body=body, chargebox=True, charge=True)


def _chargebox_path(chargebox_id: str) -> str:
    if not chargebox_id:
        raise ValueError("A chargebox id is required")
    return f"/chargeboxes/{quote(chargebox_id, safe='')}"


def _only(chargebox: str | None) -> dict[str, str] | None:
    return None if chargebox is None else {"chargebox": chargebox}


def _body(text: str) -> Any:
    """The JSON of a body, or its text when it is not JSON (None when empty).

    A body nested too deep for the decoder (RecursionError) counts as not JSON:
    its text goes on, so the parsers refuse it with UnexpectedResponseError.
    """
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return text
