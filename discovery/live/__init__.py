"""The live path: a real Instagram account through instagrapi. Login (with its second factor and challenge
steps), secrets in the keyring, and the polite, resumable sync, ordered by value, into the account's world.

    from discovery.live import LoginFlow, resume_session, run_sync, sync_status, logout
"""

from discovery.clock import Clock, SystemClock, VirtualClock
from discovery.live.client import TesseraClient, describe_error, new_client
from discovery.live.login import (
    CHALLENGE_APPROVE,
    CHALLENGE_CODE,
    DONE,
    FAILED,
    TWO_FACTOR,
    LiveSession,
    LoginFlow,
    LoginStep,
    NeedsLogin,
    logout,
    resume_session,
)
from discovery.live.secrets import Secrets, saved_accounts
from discovery.live.stages import STAGES
from discovery.live.sync import SyncProgress, SyncResult, SyncStatus, run_sync, sync_status

__all__ = [
    "CHALLENGE_APPROVE", "CHALLENGE_CODE", "DONE", "FAILED", "STAGES", "TWO_FACTOR", "Clock", "LiveSession",
    "LoginFlow", "LoginStep", "NeedsLogin", "Secrets", "SyncProgress", "SyncResult", "SyncStatus", "SystemClock",
    "TesseraClient", "VirtualClock", "describe_error", "logout", "new_client", "resume_session", "run_sync",
    "saved_accounts", "sync_status",
]
