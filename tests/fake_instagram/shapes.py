"""Responses in the shapes of recorded real ones: each builder starts from a sample response in
tests/fixtures/instagram/ (the keys, nesting and value types of real mobile-API answers, every value made up)
and replaces the values with the fake world's.

Endpoints without a sample (following lists, the liked and tagged feeds, hashtag sections, login)
use the envelope of the closest one and the item shapes above, as instagrapi reads them.
"""

from __future__ import annotations

import base64
import copy
import json
from functools import cache
from pathlib import Path

from fake_instagram.world import FakeAccount, FakePost, FakeWorld

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "instagram"
CDN = "https://scontent.fake-cdn.test"


@cache
def sample(name: str) -> dict:
    path = SAMPLES / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(f"sample response missing: {path}")
    return json.loads(path.read_text(encoding="utf-8"))


# Keys every media builder sets itself: emptied in the templates so that copying them stays cheap.
REPLACED = {"user": {}, "caption": None, "usertags": {}, "top_likers": [], "preview_comments": [],
            "facepile_top_likers": [], "coauthor_producers": [], "image_versions2": {}}


def _media_template(recorded: dict) -> dict:
    media = {**recorded, **{k: v for k, v in REPLACED.items() if k in recorded}}
    if "carousel_media" in media:
        media["carousel_media"] = [{**recorded["carousel_media"][0], "usertags": {"in": []}}]
    return media


@cache
def _templates() -> dict[str, dict]:
    timeline = [item for item in sample("timeline")["feed_items"]]
    medias = [item["media_or_ad"] for item in timeline if "media_or_ad" in item]
    return {
        "photo": _media_template(sample("user_feed")["items"][0]),
        "video": _media_template(next(m for m in medias if m["media_type"] == 2 and m["product_type"] == "feed")),
        "ad": next(m for m in medias if m["product_type"] == "ad"),
        "carousel": _media_template(next(m for m in medias if m["media_type"] == 8)),
        "clips": _media_template(next(m for m in medias if m["product_type"] == "clips")),
        "user_short": next(m for m in medias if m["media_type"] == 8)["user"],
        "suggested": next(item for item in timeline if "suggested_users" in item),
        "user_info": sample("user_info")["user"],
    }


def template(name: str) -> dict:
    return copy.deepcopy(_templates()[name])


def picture_url(key: str, width: int = 1080, height: int = 1080) -> str:
    return f"{CDN}/v/t51.2885-15/{key}_{width}x{height}.jpg?stp=dst-jpg_e35&_nc_ht=fake&oe=6A00F00D"


def shortcode(pk: str) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    n, out = int(pk), ""
    while n:
        n, r = divmod(n, 64)
        out = alphabet[r] + out
    return out


_USERS: dict[tuple, dict] = {}


def user_short(account: FakeAccount, world: FakeWorld | None = None) -> dict:
    following = None if world is None else account.pk in world.accounts[world.me].follows
    key = (account.pk, account.username, account.is_private, account.is_verified, following)
    if key not in _USERS:
        _USERS[key] = _user_short(account, following)
    return _USERS[key]


def _user_short(account: FakeAccount, following: bool | None) -> dict:
    user = template("user_short")
    user.update({
        "pk": int(account.pk), "username": account.username, "full_name": account.full_name,
        "is_private": account.is_private, "is_verified": account.is_verified,
        "profile_pic_url": picture_url(f"avatar{account.pk}", 150, 150),
        "profile_pic_id": f"{account.pk}77_{account.pk}", "latest_reel_media": 0,
    })
    if following is not None:
        user["friendship_status"]["following"] = following
    else:
        user.pop("friendship_status", None)
    return user


def user_info(account: FakeAccount, world: FakeWorld) -> dict:
    user = template("user_info")
    user.update({
        "pk": int(account.pk), "username": account.username, "full_name": account.full_name,
        "is_private": account.is_private, "is_verified": account.is_verified,
        "profile_pic_url": picture_url(f"avatar{account.pk}", 150, 150),
        "media_count": len(world.by_author.get(account.pk, ())),
        "follower_count": sum(1 for a in world.accounts.values() if account.pk in a.follows),
        "following_count": len(account.follows), "biography": f"Hello from {account.username}",
        "external_url": "", "bio_links": [], "linked_fb_info": {},
        "hd_profile_pic_versions": [{"width": 320, "height": 320,
                                     "url": picture_url(f"avatar{account.pk}", 320, 320)}],
        "hd_profile_pic_url_info": {"url": picture_url(f"avatar{account.pk}", 320, 320), "width": 320,
                                    "height": 320},
    })
    return user


def media(post: FakePost, world: FakeWorld) -> dict:
    """One media item as feed/user, feed/liked, usertags and tags/sections return it."""
    kind = {1: "photo", 8: "carousel"}.get(post.media_type) or ("clips" if post.product_type == "clips" else "video")
    item = template(kind)
    author = world.accounts[post.author]
    user = user_short(author, world)
    item.update({
        "pk": int(post.pk), "id": f"{post.pk}_{author.pk}", "code": shortcode(post.pk), "taken_at": post.taken_at,
        "device_timestamp": post.taken_at * 1000, "user": user, "like_count": post.like_count,
        "comment_count": post.comment_count, "has_liked": world.liked_by_me(post.pk), "product_type": post.product_type,
        "top_likers": [], "preview_comments": [], "coauthor_producers": [], "facepile_top_likers": [],
        "caption": {"pk": str(int(post.pk) + 1), "user_id": int(author.pk), "text": post.caption, "type": 1,
                    "created_at": post.taken_at, "created_at_utc": post.taken_at, "content_type": "comment",
                    "status": "Active", "bit_flags": 0, "did_report_as_spam": False, "share_enabled": False,
                    "user": user},
    })
    if post.location:
        item["location"] = {"pk": 584037000 + len(post.location), "short_name": post.location,
                            "name": post.location, "address": "", "city": "", "lng": 2.35, "lat": 48.85,
                            "external_source": "facebook_places", "facebook_places_id": 112557315422000}
    else:
        for key in ("location", "lat", "lng"):
            item.pop(key, None)
    tags = [{"user": user_short(world.accounts[pk]), "position": [0.5, 0.5], "start_time_in_video_in_sec": None,
             "duration_in_video_in_sec": None} for pk in post.tagged]
    item["usertags"] = {"in": tags}
    if post.media_type == 8:
        children = []
        for i in range(post.carousel_count):
            child = copy.deepcopy(item["carousel_media"][0])
            child_pk = f"{post.pk}{i}"
            child.update({"pk": child_pk, "id": f"{child_pk}_{author.pk}", "carousel_parent_id": item["id"],
                          "usertags": {"in": []}, "original_width": 1080, "original_height": 1350})
            child["image_versions2"] = {"candidates": [
                {"width": 1080, "height": 1350, "url": picture_url(f"{post.pk}c{i}", 1080, 1350)},
                {"width": 360, "height": 450, "url": picture_url(f"{post.pk}c{i}", 360, 450)}]}
            children.append(child)
        item["carousel_media"] = children
        item["carousel_media_count"] = len(children)
    else:
        item["image_versions2"] = {"candidates": [
            {"width": 1080, "height": 1080, "url": picture_url(post.pk)},
            {"width": 320, "height": 320, "url": picture_url(post.pk, 320, 320)}]}
        item["original_width"] = item["original_height"] = 1080
    if post.media_type == 2:
        item["video_versions"] = [{"type": 101, "width": 720, "height": 1280, "id": post.pk,
                                   "url": f"{CDN}/v/t50.2886-16/{post.pk}.mp4?oe=6A00F00D"}]
        item["view_count"] = item["play_count"] = post.play_count
        item.pop("video_dash_manifest", None)
    return item


def page(items: list, start: int, size: int) -> tuple[list, str | None]:
    chunk = items[start:start + size]
    return chunk, (str(start + size) if start + size < len(items) else None)


def feed(items: list[dict], next_max_id: str | None, user: dict | None = None) -> dict:
    """The envelope of feed/user (as recorded); feed/liked and usertags feeds use the same one."""
    body = {k: v for k, v in sample("user_feed").items() if k not in ("items", "user")}
    body.update({"items": items, "num_results": len(items), "more_available": next_max_id is not None})
    if next_max_id is not None:
        body["next_max_id"] = next_max_id
    if user is not None:
        body["user"] = user
    return body


def following(users: list[dict], next_max_id: str | None) -> dict:
    body = {"users": users, "big_list": next_max_id is not None, "page_size": len(users),
            "should_limit_list_of_followers": False, "status": "ok"}
    if next_max_id is not None:
        body["next_max_id"] = next_max_id
    return body


def hashtag_sections(medias: list[dict], next_max_id: str | None) -> dict:
    """tags/{tag}/sections/: the sectional envelope of a topical explore response."""
    recorded = sample("topical_explore")
    grid = next(s for s in recorded["sectional_items"] if s["layout_type"] == "media_grid")
    sections = []
    for start in range(0, len(medias), 3):
        section = copy.deepcopy({k: v for k, v in grid.items() if k != "layout_content"})
        section["layout_content"] = {"medias": [{"media": m} for m in medias[start:start + 3]]}
        sections.append(section)
    body = {"sections": sections, "more_available": next_max_id is not None, "auto_load_more_enabled": True,
            "next_page": 1, "next_media_ids": [], "status": "ok"}
    if next_max_id is not None:
        body["next_max_id"] = next_max_id
    return body


def timeline(medias: list[dict], next_max_id: str | None, suggested: bool) -> dict:
    recorded = sample("timeline")
    body = {k: v for k, v in recorded.items() if k != "feed_items"}
    items = [{"media_or_ad": m} for m in medias]
    ad = template("ad")
    ad["user"] = {**ad["user"], "pk": 424242, "username": "sponsor.fake", "full_name": "Sponsor"}
    items.insert(min(2, len(items)), {"media_or_ad": ad})
    if suggested:
        items.append(template("suggested"))
    body.update({"feed_items": items, "num_results": len(items), "more_available": next_max_id is not None,
                 "next_max_id": next_max_id or ""})
    return body


def chaining(accounts: list[FakeAccount], world: FakeWorld) -> dict:
    """discover/chaining/: the accounts Instagram suggests beside a profile, each entry the sample's keys."""
    recorded = sample("chaining")
    entry = recorded["users"][0]
    users = []
    keys = ("username", "full_name", "is_private", "is_verified", "profile_pic_url", "profile_pic_id")
    for account in accounts:
        short = user_short(account, world)
        following = short["friendship_status"]["following"]
        users.append({**entry, **{k: short[k] for k in keys}, "pk": str(account.pk),
                      "friendship_status": {**entry["friendship_status"], "following": following}})
    return {**{k: v for k, v in recorded.items() if k != "users"}, "users": users}


# --- login -----------------------------------------------------------------------------------------------


def authorization(user_pk: str, sessionid: str) -> str:
    payload = json.dumps({"ds_user_id": user_pk, "sessionid": sessionid, "should_use_header_over_cookies": True})
    return "Bearer IGT:2:" + base64.b64encode(payload.encode()).decode()


def bloks_login_success(world: FakeWorld, sessionid: str) -> dict:
    """The CAA login answer that embeds the logged-in response (as instagrapi's parser expects)."""
    me = world.accounts[world.me]
    embedded = json.dumps({
        "login_response": json.dumps({"logged_in_user": {"pk": int(me.pk), "username": me.username,
                                                         "full_name": me.full_name}, "status": "ok"}),
        "headers": json.dumps({"IG-Set-Authorization": authorization(me.pk, sessionid),
                               "ig-set-ig-u-rur": f"CLN,{me.pk},1826971200:01f7fake"}),
        "cookies": "",
    })
    return {"layout": {"bloks_payload": {"action": f"(bk.action.caa.HandleLoginResponse {json.dumps(embedded)})",
                                         "data": [], "tree": {}}}, "status": "ok"}


def bloks_two_factor(context: str) -> dict:
    return {"layout": {"bloks_payload": {"action": "(bk.action.core.TakeLast)",
                                         "data": [{"two_step_verification_context": context,
                                                   "totp_two_factor_on": True}]}}, "status": "ok"}


def bloks_fallback() -> dict:
    """CAA sends the client back to the legacy login endpoint, which says what went wrong."""
    return {"layout": {"bloks_payload": {"action": "(bk.action.caa.Fallback)",
                                         "data": [{"id": "caa_step", "value": "CAA_LOGIN_FALLBACK:legacy_login"}]}},
            "status": "ok"}


def bloks_aac() -> dict:
    return {"layout": {"bloks_payload": {"data": [{"data": {"key": "CAA_ACCOUNT_ACCESS_CONTEXT:aac",
                                                            "initial": "AAC-fake-context"}}]}}, "status": "ok"}
