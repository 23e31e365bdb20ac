"""A Store's accounts and follow lists: upserts (placeholders for accounts known only by username), ids,
and the follow edges read back in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Connection, func, select
from sqlalchemy.dialects.sqlite import insert

from storage.core import CHUNK, IN_CHUNK, StoreCore, _chunks, _driver, _pack, _table, _unpack
from storage.records import Account, Follow
from storage.schema import AccountRow, FollowListRow

EDGES_MMAP = 2**30  # bytes of the file edges() maps into memory while it reads the follow lists
PLACEHOLDER_PREFIX = "u:"


def placeholder_pk(username: str) -> str:
    """The pk of an account known only by its username (a data export); replaced when the real pk arrives."""
    return PLACEHOLDER_PREFIX + username.lower()


class AccountsStore(StoreCore):
    """Accounts and follow lists (see `storage.store.Store`)."""

    # --- accounts ------------------------------------------------------------------------------------

    def upsert_accounts(self, accounts: Iterable[Account]) -> None:
        """Insert or refresh accounts. A username-only placeholder is renamed when its real pk arrives;
        a placeholder for a username already known is folded into that account."""
        accounts = list(accounts)
        if not accounts:
            return
        table = _table(AccountRow)
        with self.transaction() as conn:
            real = [a for a in accounts if not a.pk.startswith(PLACEHOLDER_PREFIX)]
            if real:
                self._adopt_placeholders(conn, real)
            known = self._usernames_with_accounts(conn, [a.username for a in accounts
                                                           if a.pk.startswith(PLACEHOLDER_PREFIX)])
            rows = []
            for a in accounts:
                if a.pk.startswith(PLACEHOLDER_PREFIX) and a.username.lower() in known:
                    continue
                rows.append({
                    "pk": a.pk, "username": a.username, "full_name": a.full_name or "",
                    "follower_count": a.follower_count, "following_count": a.following_count,
                    "media_count": a.media_count, "is_private": bool(a.is_private),
                    "is_verified": bool(a.is_verified), "profile_pic_url": a.profile_pic_url,
                    "profile_pic_path": a.profile_pic_path, "fetched_at": a.fetched_at,
                })
            stmt = insert(table)
            ex = stmt.excluded
            stmt = stmt.on_conflict_do_update(index_elements=["pk"], set_={
                "username": ex.username,
                "full_name": func.coalesce(func.nullif(ex.full_name, ""), table.c.full_name),
                "follower_count": func.coalesce(ex.follower_count, table.c.follower_count),
                "following_count": func.coalesce(ex.following_count, table.c.following_count),
                "media_count": func.coalesce(ex.media_count, table.c.media_count),
                "is_private": ex.is_private,
                "is_verified": ex.is_verified,
                "profile_pic_url": func.coalesce(ex.profile_pic_url, table.c.profile_pic_url),
                "profile_pic_path": func.coalesce(ex.profile_pic_path, table.c.profile_pic_path),
                "fetched_at": func.coalesce(ex.fetched_at, table.c.fetched_at),
            })
            for chunk in _chunks(rows, CHUNK):
                conn.execute(stmt, list(chunk))

    @staticmethod
    def _adopt_placeholders(conn: Connection, accounts: list[Account]) -> None:
        placeholders = {placeholder_pk(a.username): a.pk for a in accounts}
        found: list[str] = []
        keys = list(placeholders)
        for chunk in _chunks(keys, IN_CHUNK):
            found += conn.execute(select(AccountRow.pk).where(AccountRow.pk.in_(chunk))).scalars().all()
        for old in found:
            new = placeholders[old]
            exists = conn.scalar(select(AccountRow.id).where(AccountRow.pk == new))
            if exists is None:
                conn.execute(_table(AccountRow).update().where(AccountRow.pk == old).values(pk=new))

    @staticmethod
    def _usernames_with_accounts(conn: Connection, usernames: list[str]) -> set[str]:
        lowered = sorted({u.lower() for u in usernames})
        known: set[str] = set()
        for chunk in _chunks(lowered, IN_CHUNK):
            stmt = select(func.lower(AccountRow.username)).where(func.lower(AccountRow.username).in_(chunk))
            known.update(conn.execute(stmt).scalars())
        return known

    def account_ids(self, pks: Iterable[str], conn: Connection | None = None) -> dict[str, int]:
        """Internal ids for account pks; placeholders resolve by username to whichever account has it."""
        pks = list(dict.fromkeys(pks))
        out: dict[str, int] = {}
        with self._reader(conn) as c:
            real = [p for p in pks if not p.startswith(PLACEHOLDER_PREFIX)]
            for chunk in _chunks(real, IN_CHUNK):
                out.update(c.execute(select(AccountRow.pk, AccountRow.id).where(AccountRow.pk.in_(chunk))).all())
            by_name = {p[len(PLACEHOLDER_PREFIX):]: p for p in pks if p.startswith(PLACEHOLDER_PREFIX)}
            names = list(by_name)
            for chunk in _chunks(names, IN_CHUNK):
                # A real pk wins over a placeholder: order so the real row comes last and overwrites.
                rows = c.execute(
                    select(func.lower(AccountRow.username), AccountRow.id)
                    .where(func.lower(AccountRow.username).in_(chunk))
                    .order_by(AccountRow.pk.like(PLACEHOLDER_PREFIX + "%").desc())
                ).all()
                for name, account_id in rows:
                    out[by_name[name]] = account_id
        return out

    def account_id(self, pk: str) -> int | None:
        return self.account_ids([pk]).get(pk)

    # --- follows -------------------------------------------------------------------------------------

    def upsert_follows(self, follows: Iterable[Follow], complete_sources: Iterable[str] = (),
                       listed_at: int | None = None) -> None:
        """Merge follow edges. For each source in `complete_sources` the edges given are its whole list:
        targets it no longer follows are marked as unfollowed (their last-seen stays in the past). The list
        counts as read at `listed_at`, by default the latest `seen_at` among its edges (or now, if none)."""
        follows = list(follows)
        complete = set(complete_sources)
        if not follows and not complete:
            return
        with self.transaction() as conn:
            ids = self.account_ids({f.source for f in follows} | {f.target for f in follows} | complete, conn)
            missing = sorted(({f.source for f in follows} | {f.target for f in follows}) - ids.keys())
            if missing:
                raise ValueError(f"follows name {len(missing)} accounts not in the store, e.g. {missing[0]}")
            src = np.fromiter((ids[f.source] for f in follows), np.int64, len(follows))
            dst = np.fromiter((ids[f.target] for f in follows), np.int64, len(follows))
            seen = np.fromiter((f.seen_at for f in follows), np.int64, len(follows))
            first = np.fromiter((f.seen_at if f.first_seen is None else f.first_seen for f in follows),
                                np.int64, len(follows))
            now = int(self.now()) if listed_at is None else listed_at
            listed = {}
            for source in complete:
                mine = seen[src == ids[source]]
                listed[ids[source]] = listed_at if listed_at is not None else (int(mine.max()) if len(mine) else now)
            self._merge_follow_lists(conn, src, dst, first, seen, listed)

    def _merge_follow_lists(self, conn: Connection, src: np.ndarray, dst: np.ndarray, first: np.ndarray,
                            seen: np.ndarray, listed: dict[int, int]) -> None:
        order = np.lexsort((dst, src))
        src, dst, first, seen = src[order], dst[order], first[order], seen[order]
        sources = np.unique(np.concatenate([src, np.fromiter(listed, np.int64, len(listed))]))
        existing = {}
        for chunk in _chunks(sources.tolist(), IN_CHUNK):
            for row in conn.execute(select(FollowListRow).where(FollowListRow.source_id.in_(chunk))):
                existing[row.source_id] = row
        bounds = np.searchsorted(src, sources, side="left"), np.searchsorted(src, sources, side="right")
        rows = []
        for source, lo, hi in zip(sources.tolist(), *bounds, strict=True):
            t, f, s = dst[lo:hi], first[lo:hi], seen[lo:hi]
            old = existing.get(source)
            if old is not None:
                t = np.concatenate([_unpack(old.targets), t])
                f = np.concatenate([_unpack(old.first_seen), f])
                s = np.concatenate([_unpack(old.last_seen), s])
            t, f, s = _dedupe_edges(t, f, s)
            listed_at = listed.get(source, old.listed_at if old is not None else None)
            rows.append({"source_id": source, "targets": _pack(t), "first_seen": _pack(f),
                         "last_seen": _pack(s), "listed_at": listed_at})
        stmt = insert(FollowListRow)
        stmt = stmt.on_conflict_do_update(index_elements=["source_id"], set_={
            c: stmt.excluded[c] for c in ("targets", "first_seen", "last_seen", "listed_at")})
        for chunk in _chunks(rows, CHUNK):
            conn.execute(stmt, list(chunk))

    def write_follow_lists(self, source_ids: np.ndarray, offsets: np.ndarray, targets: np.ndarray,
                           seen_at: int) -> None:
        """Fast path for bulk loads (benchmarks, generated worlds): replace whole lists given in CSR form,
        internal ids, one list per source, `targets[offsets[i]:offsets[i+1]]`."""
        stamp = np.int64(seen_at)
        rows = []
        for i, source in enumerate(source_ids.tolist()):
            t = np.unique(targets[offsets[i]:offsets[i + 1]])
            times = _pack(np.full(len(t), stamp))
            rows.append({"source_id": source, "targets": _pack(t), "first_seen": times, "last_seen": times,
                         "listed_at": seen_at})
        stmt = insert(FollowListRow).prefix_with("OR REPLACE")
        with self.transaction() as conn:
            for chunk in _chunks(rows, CHUNK):
                conn.execute(stmt, list(chunk))

    def edges(self, include_unfollowed: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """All current follow edges as (source ids, target ids), int64 arrays grouped by source, in one query
        through the raw driver (SQLAlchemy's row objects would cost more than the query)."""
        with self._reader(None) as conn, self._translated():
            raw = _driver(conn)
            # Memory-mapped, SQLite hands over the blobs (hundreds of MB) without a read() per page.
            raw.execute(f"PRAGMA mmap_size = {EDGES_MMAP}")
            try:
                rows = raw.execute("SELECT source_id, targets, last_seen, coalesce(listed_at, -1) FROM follows "
                                   "ORDER BY source_id").fetchall()
            finally:
                raw.execute("PRAGMA mmap_size = 0")
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        sources, targets, last_seen, listed_at = zip(*rows, strict=True)
        lengths = np.fromiter(map(len, targets), np.int64, len(rows)) // 8
        src = np.repeat(np.array(sources, np.int64), lengths)
        dst = np.frombuffer(b"".join(targets), "<i8")
        listed = np.array(listed_at, np.int64)
        if include_unfollowed or listed.max() < 0:
            return src, dst
        seen = np.frombuffer(b"".join(last_seen), "<i8")
        # Only lists that kept an unfollowed target (one seen before the list was last read) need a filter.
        rows_with_edges = np.flatnonzero(lengths)
        starts = (np.cumsum(lengths) - lengths)[rows_with_edges]
        if len(seen) == 0 or np.all(np.minimum.reduceat(seen, starts) >= listed[rows_with_edges]):
            return src, dst
        keep = seen >= np.repeat(listed, lengths)
        return src[keep], dst[keep]

    def follows_frame(self, source_id: int) -> pd.DataFrame:
        """One account's follow list with first / last seen and whether it still stands."""
        with self._reader(None) as conn:
            row = conn.execute(select(FollowListRow).where(FollowListRow.source_id == source_id)).first()
        if row is None:
            return pd.DataFrame({"target_id": [], "first_seen": [], "last_seen": [], "current": []})
        last = _unpack(row.last_seen)
        return pd.DataFrame({"target_id": _unpack(row.targets), "first_seen": _unpack(row.first_seen),
                             "last_seen": last, "current": last >= (row.listed_at or -1)})

    # --- accounts read -------------------------------------------------------------------------------

    def accounts_frame(self, ids: Sequence[int] | np.ndarray | None = None) -> pd.DataFrame:
        cols = ["id", "pk", "username", "full_name", "follower_count", "following_count", "media_count",
                "is_private", "is_verified", "profile_pic_url", "profile_pic_path", "fetched_at"]
        sql, params = f"SELECT {', '.join(cols)} FROM accounts", []
        if ids is not None:
            sql += " WHERE id IN (SELECT value FROM json_each(?))"
            params.append("[" + ",".join(str(int(v)) for v in ids) + "]")
        return self._sql_frame(sql, params, cols)

    def max_account_id(self) -> int:
        with self._reader(None) as conn:
            return int(conn.scalar(select(func.coalesce(func.max(AccountRow.id), 0))) or 0)


def _dedupe_edges(targets: np.ndarray, first: np.ndarray, last: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One entry per target: the earliest first-seen and the latest last-seen."""
    if len(targets) == 0:
        return targets, first, last
    order = np.argsort(targets, kind="stable")
    targets, first, last = targets[order], first[order], last[order]
    starts = np.flatnonzero(np.r_[True, targets[1:] != targets[:-1]])
    return targets[starts], np.minimum.reduceat(first, starts), np.maximum.reduceat(last, starts)

