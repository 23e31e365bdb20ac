"""Small human-readable formats shared by the command line and the app."""

from __future__ import annotations


def compact(number: float | int | None) -> str:
    """1234 -> "1.2k", 3_400_000 -> "3.4M"; None -> "–"."""
    if number is None:
        return "–"
    value = float(number)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            scaled = value / limit
            text = f"{scaled:.1f}" if scaled < 10 else f"{scaled:.0f}"
            return text.removesuffix(".0") + suffix
    return f"{value:.0f}"


def age(seconds: float) -> str:
    """How long ago, short: "now", "5 min", "3 h", "2 d", "6 w"."""
    seconds = max(0.0, float(seconds))
    if seconds < 60:
        return "now"
    for unit, size in (("w", 7 * 86400), ("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit}"
    return "now"


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"
