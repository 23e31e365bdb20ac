"""A requests transport adapter that sends every request to the fake Instagram instead of the network.

It is mounted over whatever instagrapi mounted (its default "curl" adapter on the private session, plain
HTTPAdapters on the others), so instagrapi's own request building, error mapping and parsing all run.
"""

from __future__ import annotations

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from fake_instagram.server import FakeInstagram

REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests",
           500: "Internal Server Error"}


class FakeAdapter(BaseAdapter):
    def __init__(self, server: FakeInstagram):
        super().__init__()
        self.server = server
        self.missing_timeouts: list[str] = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        if timeout is None:
            self.missing_timeouts.append(f"{request.method} {request.url}")
        status, body, headers = self.server.handle(request)
        response = requests.Response()
        response.status_code = status
        response.reason = REASONS.get(status, "")
        response._content = body
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json; charset=utf-8", **headers})
        response.encoding = "utf-8"
        response.url = request.url
        response.request = request
        return response

    def close(self) -> None:
        pass


def mount(adapter: FakeAdapter, *sessions: requests.Session) -> None:
    for session in sessions:
        session.mount("https://", adapter)
        session.mount("http://", adapter)
