"""A seat's connection to a served drill (``python -m sim serve``): WebSocket + JSON.

:class:`SeatLink` connects with the join token and the seat's role, reads the
server's messages on a background thread into a queue (the game loop never
waits on the network), and sends commands and clock requests. See
:mod:`sim.serve` for the messages.
"""

from __future__ import annotations

import itertools
import json
import queue
import threading
from typing import Any
from urllib.parse import urlencode

from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI
from websockets.sync.client import ClientConnection, connect

from sim import Command, command_to_json

CONNECT_TIMEOUT_S = 10.0


class JoinRefused(Exception):
    """The server turned the seat away (bad token, seat taken) or cannot be reached."""

    def __init__(self, reason: str, address: str) -> None:
        super().__init__(f"{address}: {reason}")
        self.reason = reason
        self.address = address


def url_of(address: str, token: str, seat: str) -> str:
    """``ws://host:port/?token=…&seat=…`` from ``host:port`` (or a ws:// address)."""
    base = address if address.startswith(("ws://", "wss://")) else f"ws://{address}"
    return f"{base.rstrip('/')}/?{urlencode({'token': token, 'seat': seat})}"


class SeatLink:
    """One seat's connection; messages arrive in :attr:`inbox` in the server's order."""

    def __init__(self, address: str, token: str, seat: str) -> None:
        self.address, self.token, self.seat = address, token, seat
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.closed = threading.Event()
        self._ids = itertools.count(1)
        self.connection: ClientConnection = self._connect()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _connect(self) -> ClientConnection:
        try:
            return connect(
                url_of(self.address, self.token, self.seat),
                open_timeout=CONNECT_TIMEOUT_S,
                max_size=2**26,
            )
        except InvalidStatus as exc:
            body = exc.response.body.decode(errors="replace").strip() if exc.response.body else ""
            raise JoinRefused(body or f"HTTP {exc.response.status_code}", self.address) from None
        except (OSError, InvalidURI, TimeoutError) as exc:
            raise JoinRefused(str(exc) or type(exc).__name__, self.address) from None

    def _read(self) -> None:
        try:
            for text in self.connection:
                self.inbox.put(json.loads(text))
        except ConnectionClosed:
            pass
        finally:
            self.closed.set()

    def welcome(self, timeout_s: float = CONNECT_TIMEOUT_S) -> dict[str, Any]:
        """The first message: the drill so far (JoinRefused if the server refused the seat)."""
        try:
            message = self.inbox.get(timeout=timeout_s)
        except queue.Empty:
            raise JoinRefused("no welcome from the server", self.address) from None
        if message.get("type") != "welcome":
            raise JoinRefused(str(message.get("reason", "refused")), self.address)
        return message

    def send_command(self, command: Command) -> int:
        """Send ``command``; returns the id its ``result`` message will carry."""
        ident = next(self._ids)
        self._send({"type": "command", "id": ident, "command": command_to_json(command)})
        return ident

    def send_clock(self, speed_index: int | None = None, paused: bool | None = None) -> None:
        self._send({"type": "clock", "speed_index": speed_index, "paused": paused})

    def _send(self, message: dict[str, Any]) -> None:
        try:
            self.connection.send(json.dumps(message, ensure_ascii=False))
        except ConnectionClosed:
            self.closed.set()

    def close(self) -> None:
        self.connection.close()
        self._reader.join(timeout=5)
