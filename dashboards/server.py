"""Serve the dashboard: Solara's Starlette app behind a check of the Host and Origin of every request.

``netwerkregie dashboard`` runs :func:`serve`. Solara's own server answers any ``Host`` header and accepts a
WebSocket from any page, so a web page on another site could reach a dashboard on the trainer's machine through
DNS rebinding (a name of the attacker's that resolves to 127.0.0.1) and drive it. Here every request passes
:class:`HostGuard` first:

* an HTTP request whose ``Host`` is not an allowed host is refused (400 without a usable ``Host``, 403 otherwise),
  and so is one that carries an ``Origin`` of another site;
* a WebSocket (the page's connection to its Python session) is refused (HTTP 403) unless both its ``Host`` and
  its ``Origin`` are allowed hosts.

Allowed are the loopback names (``127.0.0.1``, ``localhost``, ``::1``, with or without the server's port), the
address given with ``--host`` when it is not a wildcard, and the names given with ``--allowed-host NAME`` (a
training room: the machine's name or address as the trainees type it). A name without a port allows that name
without a port (a proxy on port 80 or 443) and with the server's port; ``NAME:PORT`` allows exactly that port.

The app is Solara's (``solara.server.starlette``, with ``SOLARA_APP`` set to ``dashboards/app.py`` before it is
imported) in production mode, served by uvicorn, as ``solara run dashboards/app.py --production`` would.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import socket
import sys
import warnings
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from model.inputs import InputError

APP = Path(__file__).with_name("app.py")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("0.0.0.0", "::", "")
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
#: seconds uvicorn waits for open connections (the pages' WebSockets) after Ctrl-C before it closes them
GRACEFUL_SHUTDOWN = 2.0

_NAME = re.compile(r"^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("netwerkregie.dashboard")


def split_host(value: str) -> tuple[str, int | None] | None:
    """A ``Host`` header (``name``, ``name:port``, ``[::1]:port``) as (lower-case name, port or ``None``);
    ``None`` when it is not a host name or IP address with an optional port."""
    value = value.strip().lower()
    if not value or len(value) > 300:
        return None
    port_text = None
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[1:end], value[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                return None
            port_text = rest[1:]
        try:
            if ipaddress.ip_address(name).version != 6:
                return None
        except ValueError:
            return None
    elif value.count(":") > 1:  # a bare IPv6 address (only in --allowed-host, not in a Host header)
        name = value
        try:
            ipaddress.IPv6Address(name)
        except ValueError:
            return None
    else:
        name, sep, port_text = value.partition(":")
        if not sep:
            port_text = None
        if not _NAME.match(name):
            return None
    if port_text is None:
        return name, None
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return None
    return name, int(port_text)


@dataclass(frozen=True)
class AllowedHosts:
    """The host names (and optional ports) a request may name; ``port`` is the server's own port."""

    entries: frozenset[tuple[str, int | None]]
    port: int

    def allows(self, name: str, port: int | None) -> bool:
        """Whether a request naming ``name`` (and ``port``, ``None`` for the scheme's default) is allowed."""
        for allowed, allowed_port in self.entries:
            if name != allowed:
                continue
            if allowed_port is None and port in (None, self.port):
                return True
            if allowed_port is not None and port == allowed_port:
                return True
        return False

    def names(self) -> list[str]:
        """The allowed hosts as people write them (for messages)."""
        shown = []
        for name, port in sorted(self.entries, key=lambda e: (e[0], e[1] or 0)):
            text = f"[{name}]" if ":" in name else name
            shown.append(f"{text}:{port}" if port is not None else text)
        return shown


def allowed_hosts(host: str, port: int, extra: Iterable[str] = ()) -> AllowedHosts:
    """The hosts a dashboard listening on ``host``:``port`` answers: the loopback names, ``host`` itself unless it
    is a wildcard (``0.0.0.0``, ``::``), and the ``--allowed-host`` names in ``extra``.

    Raises:
        InputError: a name in ``extra`` is not a host name or IP address (with an optional ``:PORT``).
    """
    entries: set[tuple[str, int | None]] = {(name, None) for name in LOOPBACK}
    bound = host.strip().lower().strip("[]")
    if bound not in WILDCARDS:
        parsed = split_host(f"[{bound}]" if ":" in bound else bound)
        if parsed is not None:
            entries.add((parsed[0], None))
    for text in extra:
        parsed = split_host(text) if isinstance(text, str) else None
        if parsed is None or parsed[0] in WILDCARDS or parsed[0] in ("*", "0.0.0.0"):
            raise InputError(
                f"--allowed-host {str(text)[:80]!r}: expected a host name or IP address the trainees type in their "
                "browser, optionally with :PORT (e.g. klaslokaal-pc, 192.168.1.20 or klaslokaal-pc:8765)"
            )
        entries.add(parsed)
    return AllowedHosts(frozenset(entries), port)


def origin_host(origin: str) -> tuple[str, int | None] | None:
    """The (name, port) of an ``Origin`` header (``http://127.0.0.1:8765``); ``None`` for ``null`` or junk."""
    try:
        parts = urlsplit(origin.strip())
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/"):
            return None
        port = parts.port
    except ValueError:
        return None
    if port == DEFAULT_PORTS[scheme]:
        port = None
    name = parts.hostname.lower()
    return split_host(f"[{name}]" if ":" in name else name) and (name, port)


class HostGuard:
    """ASGI middleware: pass on only requests that name an allowed host (see the module's description).

    Lifespan events pass through unchanged, so the wrapped app starts and stops as it would alone.
    """

    def __init__(self, app: ASGIApp, allowed: AllowedHosts) -> None:
        self.app = app
        self.allowed = allowed
        self._logged: set[str] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope.get("type")
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        host = split_host(headers.get("host", ""))
        problem = None
        if host is None:
            problem = (400, "a request without a valid Host header")
        elif not self.allowed.allows(*host):
            problem = (403, f"Host {headers.get('host', '')!r} is not an allowed host")
        elif kind == "websocket" or "origin" in headers:
            origin = origin_host(headers.get("origin", ""))
            if origin is None or not self.allowed.allows(*origin):
                problem = (403, f"Origin {headers.get('origin', '(none)')!r} is not an allowed host")
        if problem is None:
            await self.app(scope, receive, send)
            return
        status, reason = problem
        self._note(reason)
        if kind == "websocket":
            message = await receive()  # websocket.connect; closing before accepting answers HTTP 403
            if message.get("type") == "websocket.connect":
                await send({"type": "websocket.close", "code": 1008, "reason": ""})
            return
        body = (
            f"{reason}. This dashboard answers only {', '.join(self.allowed.names())}; "
            "start it with --allowed-host NAME to allow another name.\n"
        ).encode("utf-8", "replace")
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"x-content-type-options", b"nosniff"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _note(self, reason: str) -> None:
        """Log a refusal once per distinct reason (a trainer setting up a room sees why a machine is refused)."""
        if reason in self._logged or len(self._logged) > 100:
            return
        self._logged.add(reason)
        log.warning("refused %s; allowed hosts: %s", reason, ", ".join(self.allowed.names()))


def _headers(scope: Scope) -> dict[str, str]:
    """The request's headers by lower-case name; a repeated Host or Origin counts as invalid."""
    out: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers") or []:
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        if name in out and name in ("host", "origin"):
            value = "\x00"  # two Host (or Origin) headers: neither is trusted
        out[name] = value
    return out


def solara_app() -> ASGIApp:
    """Solara's Starlette app serving ``dashboards/app.py`` in production mode."""
    if "solara.server.app" not in sys.modules:
        os.environ["SOLARA_APP"] = str(APP)
    elif os.environ.get("SOLARA_APP") != str(APP):
        raise RuntimeError("Solara's server was imported before the dashboard could name its app")
    import solara.server.settings as settings

    settings.main.mode = "production"
    import solara.server.starlette

    return solara.server.starlette.app


def build_app(allowed: AllowedHosts) -> HostGuard:
    """The dashboard's ASGI app: Solara's app behind :class:`HostGuard`."""
    return HostGuard(solara_app(), allowed)


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` (uvicorn listens on it).

    Raises:
        InputError: the address cannot be used (port in use, no such address, permission denied).
    """
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise InputError(f"--host {host!r}: not an address of this machine ({e.strerror})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as e:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    sock.set_inheritable(True)
    return sock


def _say(line: str) -> None:
    print(line, flush=True)


def serve(host: str, port: int, extra_hosts: Iterable[str] = (), say: Callable[[str], None] = _say) -> int:
    """Run the dashboard until Ctrl-C (or SIGTERM); returns the exit status.

    Raises:
        InputError: a bad ``--allowed-host`` or an address that cannot be used.
    """
    import uvicorn

    allowed = allowed_hosts(host, port, extra_hosts)
    sock = listening_socket(host, port)
    from model.compiled.warm import warm_up  # the model's compiled kernels, before the first page needs them

    say("preparing the model (its compiled kernels; the first start after installing takes about half a minute)")
    say(f"the model is ready ({warm_up():.1f} s)")
    shown = f"[{host}]" if ":" in host else host
    say(f"Netwerkregie dashboard on http://{shown}:{port}  (Ctrl-C stops it)")
    if host.strip().lower().strip("[]") in WILDCARDS:
        say(
            f"answering only requests addressed to {', '.join(allowed.names())}"
            + ("" if list(extra_hosts) else f"; add --allowed-host {socket.gethostname()} (or this machine's address)")
        )
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    # Solara warns on every page over plain http that its session cookie falls back to SameSite=Lax: that is
    # what a dashboard that is not embedded elsewhere wants
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    config = uvicorn.Config(
        build_app(allowed),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN,
        server_header=False,
    )
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        return 0
    finally:
        sock.close()
    return 0 if server.started else 1
