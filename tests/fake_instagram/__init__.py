"""A fake Instagram for Tessera's tests and benchmarks: a generated world, a server that answers the
private-API endpoints Tessera uses in the shapes of recorded real responses, and a transport adapter that
instagrapi's real Client talks to instead of the network.

    fake = FakeInstagram(FakeWorld.generate())
    client = fake.install(new_client())     # instagrapi.Client subclass from discovery.live.client
"""

from __future__ import annotations

from fake_instagram.server import FakeInstagram
from fake_instagram.transport import FakeAdapter, mount
from fake_instagram.world import DAY, NOW, FakeWorld


class FakeTransport:
    """The fake server and one adapter for all the sessions of every client it is installed on."""

    def __init__(self, world: FakeWorld):
        self.server = FakeInstagram(world)
        self.adapter = FakeAdapter(self.server)

    @property
    def world(self) -> FakeWorld:
        return self.server.world

    def install(self, client):
        """Mount the fake over every HTTP session the client has (instagrapi's and Tessera's own)."""
        sessions = [getattr(client, name) for name in ("private", "public", "graphql", "images")
                    if getattr(client, name, None) is not None]
        mount(self.adapter, *sessions)
        return client

    def problems(self) -> list[str]:
        """Requests the fake did not know, and requests sent without a timeout: each one fails a test."""
        return ([f"unknown request: {u}" for u in self.server.unknown]
                + [f"request without a timeout: {u}" for u in self.adapter.missing_timeouts])


__all__ = ["DAY", "NOW", "FakeAdapter", "FakeInstagram", "FakeTransport", "FakeWorld", "mount"]
