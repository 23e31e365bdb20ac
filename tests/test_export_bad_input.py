"""Bad and hostile input to the export import: each ends in one clear sentence naming the file, and nothing
is written (the store compares equal before and after; no world or file appears)."""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from store_rows import dump

from discovery import world as worlds
from discovery.export import (
    ArchiveLimits,
    DamagedExport,
    ExportError,
    HtmlExport,
    MissingFile,
    NotAnExport,
    UnexpectedShape,
    UnsafeArchive,
    import_export,
    import_into_data_dir,
)
from storage import Store

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"  # written by fixtures/make_exports.py
OWNER = "owner.example"
FOLLOWING = "connections/followers_and_following/following.json"


def copy_layout(layout: str, dest: Path) -> Path:
    shutil.copytree(EXPORTS / layout, dest)
    return dest


def zip_entries(target: Path, entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(target, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return target


def folder_entries(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}




@pytest.fixture
def export_2023(tmp_path) -> Path:
    return copy_layout("layout_2023", tmp_path / f"instagram-{OWNER}-2024-01-05-AbCd")


@pytest.fixture
def files_2023(export_2023) -> dict[str, bytes]:
    return folder_entries(export_2023)


@pytest.fixture
def world_with_data(tmp_path):
    """A world that already holds an import, to show a refused one leaves it exactly as it was."""
    store = Store.open(tmp_path / "world" / "tessera.db")
    import_export(copy_layout("legacy_2018_2020", tmp_path / "first"), store)
    store.close()
    return store.path


def refused(path: Path, world_db: Path, error: type[ExportError], match: str,
            limits: ArchiveLimits | None = None) -> str:
    """Import `path` into the world and into a fresh data directory; both must refuse and keep nothing."""
    before = dump(world_db)
    store = Store.open(world_db)
    try:
        with pytest.raises(error, match=match) as caught:
            import_export(path, store, username=OWNER, limits=limits)
    finally:
        store.close()
    assert dump(world_db) == before
    data_dir = world_db.parent.parent / "fresh-data"
    data_dir.mkdir(exist_ok=True)
    with pytest.raises(error, match=match):
        import_into_data_dir(path, data_dir, username=OWNER, limits=limits)
    assert list(data_dir.iterdir()) == []  # no world, no current-world marker
    message = str(caught.value)
    assert "\n" not in message and message.endswith((".", ".)"))
    return message


# --- not an export -----------------------------------------------------------------------------------------


def test_an_html_export_is_refused_with_how_to_request_json(files_2023, tmp_path, world_with_data):
    html = {name.replace(".json", ".html"): b"<html><body><h1>Following</h1></body></html>"
            for name in files_2023}
    html["start_here.html"] = b"<!DOCTYPE html><html></html>"
    path = zip_entries(tmp_path / f"instagram-{OWNER}-2024-01-05-AbCd.zip", html)
    message = refused(path, world_with_data, HtmlExport, r"HTML format")
    assert "Accounts Center → Your information and permissions → Download your information" in message
    assert "choose the format JSON" in message


def test_a_json_file_holding_html_is_an_html_export(export_2023, world_with_data):
    (export_2023 / FOLLOWING).write_text("<!DOCTYPE html>\n<html><body>alice.example</body></html>")
    refused(export_2023, world_with_data, HtmlExport, rf"{FOLLOWING} in {export_2023.name} is HTML, not JSON")


def test_a_file_that_is_not_a_zip(tmp_path, world_with_data):
    path = tmp_path / "holiday.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    refused(path, world_with_data, NotAnExport, r"holiday\.png is not a zip archive")


def test_a_path_that_does_not_exist(tmp_path, world_with_data):
    refused(tmp_path / "nothing.zip", world_with_data, NotAnExport, r"nothing\.zip does not exist")


def test_a_truncated_zip(files_2023, tmp_path, world_with_data):
    whole = zip_entries(tmp_path / "whole.zip", files_2023).read_bytes()
    path = tmp_path / f"instagram-{OWNER}-2024-01-05-AbCd.zip"
    path.write_bytes(whole[: len(whole) // 2])  # a download cut off halfway
    refused(path, world_with_data, DamagedExport, r"is a damaged or incomplete zip archive")


def test_a_corrupt_entry_names_the_file(files_2023, tmp_path, world_with_data):
    path = zip_entries(tmp_path / f"instagram-{OWNER}-2024-01-05-AbCd.zip", files_2023)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(FOLLOWING)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 5, start + info.compress_size - 5):
        data[i] ^= 0x5A  # flip the compressed bytes of following.json
    path.write_bytes(bytes(data))
    refused(path, world_with_data, DamagedExport, rf"{FOLLOWING} in {path.name} is damaged")


def test_an_archive_of_something_else(tmp_path, world_with_data):
    path = zip_entries(tmp_path / "project.zip", {"README.md": b"# hello", "src/main.py": b"print(1)",
                                                  "data/following.csv": b"alice"})
    refused(path, world_with_data, NotAnExport,
            r"project\.zip is not an Instagram data export: it has no connections/followers_and_following/")


def test_control_characters_from_the_file_never_reach_the_message(export_2023, world_with_data):
    (export_2023 / FOLLOWING).write_text('{"line\\nbreak \\u001b[2J": 1}')
    message = refused(export_2023, world_with_data, UnexpectedShape, r"found an object with keys")
    assert message.endswith('found an object with keys "line\\nbreak \\u001b[2J".')
    assert str(ExportError("evil\nname\x1b[2J.zip is not a zip archive.")) == (
        "evil\\nname\\x1b[2J.zip is not a zip archive.")


def test_an_export_without_its_following_list(export_2023, world_with_data):
    (export_2023 / FOLLOWING).unlink()
    message = refused(export_2023, world_with_data, MissingFile, r"without your following list")
    assert FOLLOWING in message and "Followers and following" in message


# --- files that do not parse or have unknown shapes --------------------------------------------------------


@pytest.mark.parametrize("content, match", [
    (b'{"relationships_following": [{"title": "", "string_list_data": [',
     r"is not valid JSON \(Expecting value at line 1, column 65\)"),
    (b"", r"is not valid JSON \(Expecting value at line 1, column 1\)"),
    (b"\xff\xfe\x00{\x00}", r"is not UTF-8 text"),
    (b"[" * 100_000 + b"]" * 100_000, r"is nested far deeper"),
])
def test_json_that_does_not_parse_names_the_file(export_2023, world_with_data, content, match):
    (export_2023 / FOLLOWING).write_bytes(content)
    refused(export_2023, world_with_data, DamagedExport, rf"{FOLLOWING} in {export_2023.name} {match}")


@pytest.mark.parametrize("file, content, match", [
    (FOLLOWING, b'{"something": 1}', r"expected a list of the accounts you follow, found an object with keys "
                                     r'"something"'),
    (FOLLOWING, b'"alice.example"', r"expected a list of the accounts you follow, found a string"),
    (FOLLOWING, b'{"a": [], "b": []}', r'found an object with keys "a", "b"'),
    (FOLLOWING, b'[1, 2, 3]', r"none of its 3 entries names an account"),
    (FOLLOWING, b'[{"title": "", "string_list_data": [{"value": "not a user!"}]}]',
     r"none of its 1 entries names an account"),
    ("connections/followers_and_following/followers_1.json", b"42",
     r"expected a list of your followers, found a number"),
    ("your_instagram_activity/likes/liked_posts.json", b'{"likes_media_likes": [{"title": ""}, null]}',
     r"none of its 2 entries names a post by its owner"),
    ("your_instagram_activity/saved/saved_posts.json", b"null",
     r"expected a list of saved posts, found null"),
])
def test_unexpected_shapes_name_the_file_and_what_was_expected(export_2023, world_with_data, file, content,
                                                               match):
    (export_2023 / file).write_bytes(content)
    refused(export_2023, world_with_data, UnexpectedShape, rf"{file} in {export_2023.name} does not have the "
                                                           rf"shape of Instagram's export: .*{match}")


def test_a_legacy_export_without_a_following_list(tmp_path, world_with_data):
    path = copy_layout("legacy_2018_2020", tmp_path / "old")
    (path / "connections.json").write_text('{"followers": {"alice.example": "2019-03-03T10:05:51"}}')
    refused(path, world_with_data, UnexpectedShape, r'connections\.json in old .*expected "following" as an '
                                                    r"object of username: time, found null")


def test_single_odd_entries_are_skipped_and_counted(export_2023, tmp_path):
    (export_2023 / FOLLOWING).write_text(
        '{"relationships_following": [{"title": "", "string_list_data": [{"value": "alice.example", '
        '"timestamp": 1699000000}]}, {"title": "", "string_list_data": []}, "junk"]}')
    store = Store.open(tmp_path / "w.db")
    summary = import_export(export_2023, store)
    assert (summary.following, summary.skipped) == (1, 2)
    assert summary.sentence.endswith("(2 entries naming no account or post skipped).")
    store.close()


# --- hostile archives --------------------------------------------------------------------------------------


@pytest.mark.parametrize("evil", ["../evil.json", "../../home/someone/.bashrc", "/etc/cron.d/evil",
                                  "connections/../../evil.json", "..\\..\\evil.json", "C:/Windows/evil.json"])
def test_entries_leaving_the_archive_are_refused(files_2023, tmp_path, world_with_data, evil):
    path = zip_entries(tmp_path / f"instagram-{OWNER}-2024-01-05-AbCd.zip", {**files_2023, evil: b"{}"})
    refused(path, world_with_data, UnsafeArchive, r"contains an entry with an unsafe path")
    assert not (tmp_path.parent / "evil.json").exists() and not (tmp_path / "evil.json").exists()


def test_a_symlink_entry_is_refused(files_2023, tmp_path, world_with_data):
    path = tmp_path / f"instagram-{OWNER}-2024-01-05-AbCd.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files_2023.items():
            if name != FOLLOWING:
                archive.writestr(name, data)
        link = zipfile.ZipInfo(FOLLOWING)
        link.create_system = 3  # Unix
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    refused(path, world_with_data, UnsafeArchive, rf"contains a symbolic link \({FOLLOWING}\)")


def test_a_symlink_in_an_unpacked_folder_is_refused(export_2023, tmp_path, world_with_data):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for Tessera")
    (export_2023 / FOLLOWING).unlink()
    os.symlink(secret, export_2023 / FOLLOWING)
    refused(export_2023, world_with_data, UnsafeArchive, r"contains a symbolic link")


def test_duplicate_entries_are_refused(files_2023, tmp_path, world_with_data):
    path = tmp_path / f"instagram-{OWNER}-2024-01-05-AbCd.zip"
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(path, "w") as archive:
        for name, data in files_2023.items():
            archive.writestr(name, data)
        archive.writestr(FOLLOWING, b'{"relationships_following": []}')
    refused(path, world_with_data, UnsafeArchive, rf"contains {FOLLOWING} twice")


def test_a_zip_bomb_stops_at_the_size_cap(files_2023, tmp_path, world_with_data):
    """A following.json of 8 MB of spaces compresses to a few KB; with a 1 MB cap it is refused after
    inflating at most the cap, never written anywhere."""
    bomb = b'{"relationships_following": [' + b" " * (8 * 1024 * 1024) + b"]}"
    path = zip_entries(tmp_path / f"instagram-{OWNER}-2024-01-05-AbCd.zip", {**files_2023, FOLLOWING: bomb})
    assert path.stat().st_size < 64 * 1024
    limits = ArchiveLimits(max_file_bytes=1024 * 1024)
    refused(path, world_with_data, UnsafeArchive, rf"{FOLLOWING} in {path.name} is larger than 1 MB", limits)


def test_too_many_entries_are_refused(files_2023, tmp_path, world_with_data):
    filler = {f"media/posts/{i}.jpg": b"x" for i in range(60)}
    path = zip_entries(tmp_path / f"instagram-{OWNER}-2024-01-05-AbCd.zip", {**files_2023, **filler})
    refused(path, world_with_data, UnsafeArchive, r"holds 64 entries, more than the 50",
            ArchiveLimits(max_entries=50))


def test_too_much_json_in_total_is_refused(files_2023, tmp_path, world_with_data):
    path = zip_entries(tmp_path / f"instagram-{OWNER}-2024-01-05-AbCd.zip", files_2023)
    refused(path, world_with_data, UnsafeArchive, r"holds more than 0 MB of JSON",
            ArchiveLimits(max_total_bytes=800))


def test_a_2_gb_entry_is_refused_before_reading(files_2023, tmp_path, world_with_data):
    """The entry says it inflates to 2 GB (the central directory is patched: no 2 GB file is made)."""
    path = zip_entries(tmp_path / f"instagram-{OWNER}-2024-01-05-AbCd.zip", files_2023, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    entry = int.from_bytes(data[end + 16:end + 20], "little")  # where the central directory starts
    while data[entry:entry + 4] == b"PK\x01\x02":
        lengths = [int.from_bytes(data[entry + i:entry + i + 2], "little") for i in (28, 30, 32)]
        if data[entry + 46:entry + 46 + lengths[0]] == FOLLOWING.encode():
            data[entry + 24:entry + 28] = (2 * 1024 ** 3).to_bytes(4, "little")  # uncompressed size
        entry += 46 + sum(lengths)
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(FOLLOWING).file_size == 2 * 1024 ** 3
    refused(path, world_with_data, UnsafeArchive, rf"{FOLLOWING} in {path.name} is larger than 256 MB")


def test_a_folder_with_a_huge_file_is_refused(export_2023, world_with_data):
    with open(export_2023 / FOLLOWING, "r+b") as handle:
        handle.truncate(2 * 1024 * 1024)  # sparse: no real disk use
    refused(export_2023, world_with_data, UnsafeArchive, r"is larger than 1 MB",
            ArchiveLimits(max_file_bytes=1024 * 1024))


def test_the_demo_world_takes_no_import(export_2023, data_dir):
    demo = worlds.World.open(data_dir, worlds.DEMO)
    try:
        with pytest.raises(ExportError, match="demo world is generated"):
            import_export(export_2023, demo)
    finally:
        demo.close()
    with pytest.raises(ExportError, match="demo world is generated"):
        import_into_data_dir(export_2023, data_dir, world_name=worlds.DEMO)
    generated = Store.open(data_dir / "elsewhere.db")  # a demo world by its meta, whatever its name
    generated.set_meta("world_kind", "demo")
    with pytest.raises(ExportError, match="demo world is generated"):
        import_export(export_2023, generated, username=OWNER)
    assert generated.counts()["accounts"] == 0
    generated.close()


@pytest.mark.parametrize("name", ["../elsewhere", "a/b", ".hidden", ""])
def test_world_names_cannot_leave_the_worlds_folder(export_2023, data_dir, name):
    with pytest.raises(ExportError, match="cannot be a world's name"):
        import_into_data_dir(export_2023, data_dir, world_name=name, username=OWNER)
    assert list(data_dir.iterdir()) == []
