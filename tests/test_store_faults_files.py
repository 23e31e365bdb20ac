"""Files and folders that cannot be written, damaged databases and a number too long to read, through the
real command line: each ends in one sentence and a non-zero exit, the store compared row by row (or byte
by byte) before and after."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from fault_helpers import T0, db, digest, dump, refused, succeeded, tessera

# --- files and folders that cannot be written --------------------------------------------------------------


def test_a_read_only_database_can_be_read_but_not_changed(root, export):
    path = db(root)
    before = digest(path)
    path.chmod(0o444)
    succeeded(tessera(root, "stats"))
    refused(tessera(root, "import", str(export)), str(path), "read-only")
    assert digest(path) == before


def test_a_read_only_world_folder(root, export):
    path = db(root)
    before = digest(path)
    path.parent.chmod(0o555)
    try:
        refused(tessera(root, "import", str(export)), str(path.parent), "read-only")
    finally:
        path.parent.chmod(0o755)
    assert digest(path) == before


def test_a_read_only_data_folder(export, tmp_path):
    root = tmp_path / "data"
    root.mkdir(0o555)
    refused(tessera(root, "import", str(export)), str(root), "Permission denied")
    assert list(root.iterdir()) == []


def test_a_data_folder_that_is_a_file(export, tmp_path):
    path = tmp_path / "data"
    path.write_text("my notes")
    refused(tessera(path, "stats"), str(path), "is a file")
    refused(tessera(path, "import", str(export)), str(path), "is a file")
    assert path.read_text() == "my notes"


def test_a_database_that_is_a_folder(root):
    path = db(root)
    path.unlink()
    path.mkdir()
    refused(tessera(root, "stats"), str(path), "is a folder")
    assert path.is_dir() and list(path.iterdir()) == []


# --- damaged files: refused, untouched ---------------------------------------------------------------------


def test_a_truncated_database_is_refused_untouched(root):
    path = db(root)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    before, beside = digest(path), sorted(path.parent.iterdir())
    refused(tessera(root, "stats"), str(path), "damaged", "cut short")
    assert digest(path) == before and sorted(path.parent.iterdir()) == beside


def test_a_malformed_database_is_refused_untouched(root):
    path = db(root)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xa5" * (len(data) - page)  # every page but the first, overwritten
    path.write_bytes(bytes(data))
    before = digest(path)
    refused(tessera(root, "stats"), str(path), "damaged")
    assert digest(path) == before


def test_a_database_without_its_version_is_refused_untouched(root):
    path = db(root)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DROP TABLE alembic_version")
        conn.commit()
    before = digest(path)
    refused(tessera(root, "stats"), str(path), "damaged", "schema version is missing")
    assert digest(path) == before
    refused(tessera(root, "stats"), str(path), "damaged")  # and the next start says the same
    assert digest(path) == before


def test_a_newer_database_is_refused_without_leaving_files_beside_it(root):
    path = db(root)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
        conn.commit()
    before, beside = digest(path), sorted(path.parent.iterdir())
    refused(tessera(root, "stats"), "newer version of Tessera")
    assert digest(path) == before and sorted(path.parent.iterdir()) == beside  # no -wal or -shm left


# --- small things ------------------------------------------------------------------------------------------


def test_a_number_of_thousands_of_digits_is_called_too_long(root, export):
    before = dump(db(root))
    following = export / "connections/followers_and_following/following.json"
    following.write_text(following.read_text().replace(str(T0), "9" * 5000, 1))
    sentence = refused(tessera(root, "import", str(export)), "A number in", "following.json", "is too long")
    assert "set_int_max_str_digits" not in sentence
    assert dump(db(root)) == before
