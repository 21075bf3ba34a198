"""The gateway half of the fake Discord: a v10 JSON websocket, optionally zlib-stream compressed.

Compression: discord.py asks for ``compress=zlib-stream`` unless `zstandard` (or Python 3.14's
`compression.zstd`) is importable, in which case it asks for ``zstd-stream``. The fake speaks
zlib-stream (one compressor per connection, every message ends with a Z_SYNC_FLUSH, sent as a
binary frame). For any other value, zstd included, it falls back to plain text frames: discord.py
only decompresses binary frames and reads text frames as JSON whatever it asked for, so the
fallback keeps working, and the fake needs no zstd library. `GatewayConnection.compression`
tells a test which mode a connection really used.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
import zlib
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from .entities import APPLICATION_FLAGS
from .recording import JSON, ChangeSignal
from .world import World

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE_UPDATE, RESUME, RECONNECT = 0, 1, 2, 3, 6, 7
REQUEST_GUILD_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11
AUTHENTICATION_FAILED, DECODE_ERROR = 4004, 4002
ZLIB_STREAM = "zlib-stream"


@dataclass
class GatewaySession:
    """One identified session; it outlives a connection when the client resumes."""

    session_id: str
    intents: int
    shard: list[int] | None
    seq: int = 0
    sent: list[JSON] = field(default_factory=list)  # dispatches, replayed on RESUME
    connection: GatewayConnection | None = None


class GatewayConnection:
    """One websocket; serialises sends so sequence numbers and the zlib stream stay in order."""

    def __init__(self, ws: web.WebSocketResponse, query: dict[str, str], compress: bool) -> None:
        self.ws = ws
        self.query = query
        self.compress_requested = query.get("compress")
        use_zlib = compress and self.compress_requested == ZLIB_STREAM
        self.compression: str | None = ZLIB_STREAM if use_zlib else None
        self._compressor = zlib.compressobj() if use_zlib else None
        self._lock = asyncio.Lock()
        self.session: GatewaySession | None = None

    @property
    def closed(self) -> bool:
        """Tell whether the websocket is closed."""
        return self.ws.closed

    async def send(self, payload: JSON) -> None:
        """Send one gateway message."""
        async with self._lock:
            await self._send_unlocked(payload)

    async def send_dispatch(self, session: GatewaySession, event: str, data: JSON) -> int:
        """Dispatch an event with the session's next sequence number; return that number."""
        async with self._lock:
            session.seq += 1
            payload = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
            session.sent.append(payload)
            await self._send_unlocked(payload)
            return session.seq

    async def _send_unlocked(self, payload: JSON) -> None:
        text = json.dumps(payload, separators=(",", ":"))
        if self._compressor is None:
            await self.ws.send_str(text)
            return
        compressor = self._compressor
        data = compressor.compress(text.encode()) + compressor.flush(zlib.Z_SYNC_FLUSH)
        await self.ws.send_bytes(data)


class Gateway:
    """Sessions, connections and what the bot sent over the gateway."""

    def __init__(
        self,
        world: World,
        signal: ChangeSignal,
        errors: list[str],
        *,
        token: str,
        compress: bool,
        heartbeat_interval_ms: int,
    ) -> None:
        self.world = world
        self.signal = signal
        self.errors = errors
        self.token = token
        self.compress = compress
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.url = ""  # known once the server is bound
        self.connections: list[GatewayConnection] = []
        self.sessions: dict[str, GatewaySession] = {}
        self.current: GatewaySession | None = None
        self.identifies: list[JSON] = []
        self.resumes = 0
        self.heartbeats = 0
        self.received: list[JSON] = []  # every payload the bot sent

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """Serve one websocket connection until it closes."""
        ws = web.WebSocketResponse(max_msg_size=0, timeout=2.0)
        await ws.prepare(request)
        connection = GatewayConnection(ws, dict(request.query), self.compress)
        self.connections.append(connection)
        if request.query.get("encoding", "json") != "json":
            await ws.close(code=DECODE_ERROR, message=b"the fake speaks only encoding=json")
            return ws
        hello = {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": ["fake-discord"]}
        await connection.send({"op": HELLO, "d": hello})
        try:
            async for frame in ws:
                if frame.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    break
                await self._on_payload(connection, json.loads(frame.data))
        except ConnectionResetError:
            # The client hung up while the fake answered (say, a heartbeat ACK): not a failure.
            log.debug("fake Discord: client closed the gateway connection mid-answer")
        except Exception as exc:
            log.exception("fake Discord gateway failed")
            self.errors.append(f"gateway: {exc!r}")
        finally:
            await self.signal.notify()
        return ws

    async def _on_payload(self, connection: GatewayConnection, payload: JSON) -> None:
        self.received.append(payload)
        op, data = payload.get("op"), payload.get("d")
        if op == HEARTBEAT:
            self.heartbeats += 1
            await connection.send({"op": HEARTBEAT_ACK})
        elif op == IDENTIFY:
            await self._identify(connection, data or {})
        elif op == RESUME:
            await self._resume(connection, data or {})
        elif op == REQUEST_GUILD_MEMBERS and connection.session is not None:
            chunk = self._chunk(data or {})
            await connection.send_dispatch(connection.session, "GUILD_MEMBERS_CHUNK", chunk)
        await self.signal.notify()

    async def _identify(self, connection: GatewayConnection, data: JSON) -> None:
        if data.get("token") != self.token:
            await connection.ws.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return
        session = GatewaySession(uuid.uuid4().hex, int(data.get("intents", 0)), data.get("shard"))
        session.connection, connection.session = connection, session
        self.sessions[session.session_id] = session
        ready = {
            "v": 10,
            "user": self.world.bot_user | {"verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(self.world.guild_id), "unavailable": True}],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.url,
            "application": {"id": str(self.world.application_id), "flags": APPLICATION_FLAGS},
            "private_channels": [],
            "relationships": [],
            "_trace": ["fake-discord"],
        }
        if session.shard is not None:
            ready["shard"] = session.shard
        await connection.send_dispatch(session, "READY", ready)
        await connection.send_dispatch(session, "GUILD_CREATE", self.world.guild_create())
        # Record last: a test that waits for the identify may dispatch at once.
        self.current = session
        self.identifies.append(data)

    async def _resume(self, connection: GatewayConnection, data: JSON) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self.token:
            await connection.send({"op": INVALID_SESSION, "d": False})
            return
        session.connection, connection.session = connection, session
        # Discord replays what the client missed, then says RESUMED.
        missed = [p for p in session.sent if p["s"] > int(data.get("seq") or 0)]
        for payload in missed:
            await connection.send(payload)
        await connection.send_dispatch(session, "RESUMED", {"_trace": ["fake-discord"]})
        self.current = session
        self.resumes += 1

    def _chunk(self, data: JSON) -> JSON:
        """Answer a REQUEST_GUILD_MEMBERS with one chunk."""
        members = list(self.world.members.values())
        if data.get("user_ids"):
            wanted = {str(u) for u in data["user_ids"]}
            members = [m for m in members if m["user"]["id"] in wanted]
        elif data.get("query"):
            members = [m for m in members if m["user"]["username"].startswith(data["query"])]
        if data.get("limit"):
            members = members[: int(data["limit"])]
        chunk: JSON = {"guild_id": str(self.world.guild_id), "members": members}
        chunk |= {"chunk_index": 0, "chunk_count": 1, "not_found": []}
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        return chunk

    def live_connection(self) -> tuple[GatewaySession, GatewayConnection]:
        """Return the current session and its open connection, or raise RuntimeError."""
        session = self.current
        connection = session.connection if session else None
        if session is None or connection is None or connection.closed:
            raise RuntimeError("fake Discord: no identified gateway connection to dispatch on")
        return session, connection

    async def dispatch(self, event: str, data: JSON) -> int:
        """Dispatch an event to the connected bot; return its sequence number."""
        session, connection = self.live_connection()
        seq = await connection.send_dispatch(session, event, data)
        await self.signal.notify()
        return seq

    async def emit(self, event: str, data: JSON, *, intent: int) -> None:
        """Dispatch if a bot is connected and subscribed to `intent`; else drop, as Discord does."""
        session = self.current
        if session is None or session.connection is None or session.connection.closed:
            return
        if session.intents & intent:
            await self.dispatch(event, data)

    async def send_op(self, op: int, data: object) -> None:
        """Send a non-dispatch message (RECONNECT, INVALID_SESSION) on the live connection."""
        _, connection = self.live_connection()
        await connection.send({"op": op, "d": data})

    async def close_all(self) -> None:
        """Close every open websocket (going away)."""
        for connection in self.connections:
            if not connection.closed:
                await connection.ws.close(code=1001, message=b"fake Discord is shutting down")
