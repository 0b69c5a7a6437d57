"""A real SMTP server on a free local port (aiosmtpd), recording what it receives."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
import time
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Recorder:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.server.delay:
            await asyncio.sleep(self.server.delay)  # a slow server, so that workers overlap
        message = email.message_from_bytes(envelope.content)
        with self.server.lock:
            self.server.received.append(message)
        return "250 OK"


class MailServer:
    """Start, stop and start again on the same port; every message received is kept."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.port = free_port()
        self.received: list[Message] = []
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(_Recorder(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def messages(self) -> list[Message]:
        with self.lock:
            return list(self.received)

    def wait_for(self, count: int, timeout: float) -> list[Message]:
        """Wait until `count` messages arrived (or the timeout passed); return them all."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.messages()) < count:
            time.sleep(0.05)
        return self.messages()
