"""The live path: a real Instagram account through instagrapi. Login (with its second factor and challenge
steps), secrets in the keyring, and the polite, resumable sync, ordered by value, into the account's world.

    from discovery.live import LoginFlow, resume_session, run_sync, sync_status, logout
"""

from discovery.lazy import exports

_MODULES = {
    "discovery.clock": ["Clock", "SystemClock", "VirtualClock"],
    "discovery.live.client": ["TesseraClient", "describe_error", "new_client"],
    "discovery.live.login": ["CHALLENGE_APPROVE", "CHALLENGE_CODE", "DONE", "FAILED", "TWO_FACTOR", "LiveSession",
                             "LoginFlow", "LoginStep", "NeedsLogin", "logout", "resume_session"],
    "discovery.live.secrets": ["Secrets", "saved_accounts"],
    "discovery.live.stages": ["STAGES"],
    "discovery.live.sync": ["SyncProgress", "SyncResult", "SyncStatus", "run_sync", "sync_status"],
}
__getattr__ = exports(__name__, {name: module for module, names in _MODULES.items() for name in names})

__all__ = [
    "CHALLENGE_APPROVE", "CHALLENGE_CODE", "DONE", "FAILED", "STAGES", "TWO_FACTOR", "Clock", "LiveSession",
    "LoginFlow", "LoginStep", "NeedsLogin", "Secrets", "SyncProgress", "SyncResult", "SyncStatus", "SystemClock",
    "TesseraClient", "VirtualClock", "describe_error", "logout", "new_client", "resume_session", "run_sync",
    "saved_accounts", "sync_status",
]
