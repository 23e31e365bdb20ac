"""What the store fault tests share: a tiny export (conftest.py imports a world from it), and the real command
line (`python -m discovery` in a subprocess), run as a person would."""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from store_rows import dump  # noqa: F401 (the tests import it from here)

REPO = Path(__file__).resolve().parents[1]
OWNER = "faults.example"
T0 = 1_700_000_000


# --- a tiny export, and a world's rows and bytes -----------------------------------------------------------


def _relation(name: str, at: int) -> dict:
    return {"title": "", "media_list_data": [], "string_list_data": [
        {"href": f"https://www.instagram.com/{name}", "value": name, "timestamp": at}]}


def _write(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def make_export(dest: Path, following: int = 40) -> Path:
    """An export in the 2022–2024 layout: `following` accounts followed, half as many followers, a few likes
    and saves."""
    base = dest / "connections/followers_and_following"
    _write(base / "following.json", {"relationships_following": [
        _relation(f"friend_{i}", T0 - i * 3600) for i in range(following)]})
    _write(base / "followers_1.json", [_relation(f"fan_{i}", T0 - i * 7200) for i in range(following // 2)])
    _write(dest / "personal_information/personal_information/personal_information.json", {"profile_user": [{
        "title": "", "media_map_data": {}, "string_map_data": {
            "Username": {"href": "", "value": OWNER, "timestamp": 0}}}]})

    def post(i: int) -> dict:
        return {"title": f"friend_{i}", "media_list_data": [], "string_list_data": [
            {"href": f"https://www.instagram.com/p/CFAULT{i:05d}/", "value": "x", "timestamp": T0 - i * 60}]}

    _write(dest / "your_instagram_activity/likes/liked_posts.json",
           {"likes_media_likes": [post(i) for i in range(8)]})
    _write(dest / "your_instagram_activity/saved/saved_posts.json", {"saved_saved_media": [
        {"title": f"friend_{i}", "string_map_data": {"Saved on": {
            "href": f"https://www.instagram.com/p/CFAULT{i:05d}/", "timestamp": T0 - i}}} for i in (1, 5)]})
    return dest


def db(root: Path, name: str = OWNER) -> Path:
    return root / "worlds" / name / "tessera.db"




def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- running the command line ------------------------------------------------------------------------------


def _as_a_person() -> None:
    """Run as root, a child drops the capabilities that ignore file permissions, as a person's process has none."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
            if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "cannot drop a capability")


def _command(root: Path, args: tuple[str, ...], driver: str | None) -> list[str]:
    head = [sys.executable, "-c", driver] if driver else [sys.executable, "-m", "discovery"]
    return [*head, *args, "--data-dir", str(root)]


def _env(extra: dict | None = None) -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO), "TESSERA_BUSY_TIMEOUT": "30", **(extra or {})}


def tessera(root: Path, *args: str, env: dict | None = None, driver: str | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m discovery ARGS --data-dir ROOT`, as a person (file permissions hold even when run as root)."""
    return subprocess.run(_command(root, args, driver), capture_output=True, text=True, cwd=REPO, timeout=timeout,
                          env=_env(env), preexec_fn=_as_a_person)


def start(root: Path, *args: str, env: dict | None = None, driver: str | None = None) -> subprocess.Popen:
    return subprocess.Popen(_command(root, args, driver), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=REPO, env=_env(env), preexec_fn=_as_a_person)


def finish(process: subprocess.Popen) -> subprocess.CompletedProcess:
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def refused(result: subprocess.CompletedProcess, *words: str) -> str:
    """A refusal: non-zero exit, no traceback, one `tessera:` sentence holding each of `words`."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("tessera: ")]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def succeeded(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stdout + result.stderr
