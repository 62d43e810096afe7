"""A date as the title page writes it, read back: "May 3, 2024" → 2024-05-03.

Takes the text a reviewer left where the build wrote report.yaml's ``date`` in full
(:func:`report.render.docx.properties.display_date`, in the build's language) and
returns the date that the build would write as exactly that text, or None. Not a date
parser: each date the text's numbers could name (a year of four digits, a day of one
or two, any month) is written as the build writes it, and the one that reads the same
is the answer, so whatever the language's words and order, only a date the build
would print again is taken.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)


def iso_date(shown: str, language: str) -> dt.date | None:
    """See the module doc."""
    from report.render.docx.properties import display_date

    shown = " ".join(shown.split())
    numbers = [int(n) for n in re.findall(r"\d+", _ascii_digits(shown))]
    years = sorted({n for n in numbers if 1000 <= n <= 9999})
    days = sorted({n for n in numbers if 1 <= n <= 31}) or list(range(1, 32))
    for year in years:
        for month in range(1, 13):
            for day in days:
                try:
                    date = dt.date(year, month, day)
                except ValueError:
                    continue
                if " ".join(display_date(date, language).split()) == shown:
                    return date
    return None
