"""A sync in its own process, against the same fake world (the test world, same seed): the kill-and-resume
test runs it, and kills it while the N-th request to an endpoint is in flight.

    python -m fake_instagram.run_sync ROOT KEYRING_FILE FRAGMENT N MARKER
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from fake_instagram.harness import Harness, make_world


def main(argv: list[str]) -> int:
    root, keyring_file, fragment, count, marker = argv
    harness = Harness(Path(root), make_world(), Path(keyring_file))
    seen = 0

    def hang_on_nth(request) -> None:
        nonlocal seen
        if fragment in request.path:
            seen += 1
            if seen == int(count):
                Path(marker).write_text(str(seen))
                time.sleep(3600)  # the test kills this process now, mid-request

    harness.fake.server.on_request = hang_on_nth
    result = harness.sync()
    print(result.status, result.message)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
