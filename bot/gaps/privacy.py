"""Mask personal data (phone numbers, e-mail addresses, house numbers) in stored questions."""

from __future__ import annotations

import re
from typing import Final

_EMAIL: Final = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Belgian and international numbers: +32 470 12 34 56, 0470/12.34.56, 02 123 45 67, 0032...
_PHONE: Final = re.compile(r"(?<![\w])(?:\+|00)?\d(?:[\s./-]?\d){7,14}(?![\w])")
# A street word followed by a number: "rue de la Loi 16", "Kerkstraat 12b", "Hauptstraße 3"
_STREET_NUMBER: Final = re.compile(
    r"(?i)\b((?:rue|avenue|av\.|chaussée|boulevard|bd|place|chemin|allée|quai|square|clos|"
    r"impasse|drève|street|st\.|road|lane|laan|lei|plein|dreef|weg|steenweg|kaai|straße|strasse|"
    r"platz|gasse|[a-zà-ÿ]+(?:straat|laan|weg|lei|plein|dreef|straße|strasse|weg|platz|gasse))"
    r"(?:\s+[\w'’-]+){0,4}?)\s+\d{1,4}\s?[a-z]?\b"
)
_HOUSE_NUMBER: Final = re.compile(r"(?i)\b(n°|nr\.?|no\.?|number|numéro|nummer)\s*\d{1,4}[a-z]?\b")


def mask_personal_data(text: str) -> str:
    """Replace e-mail addresses, phone numbers and house numbers by placeholders."""
    masked = _EMAIL.sub("<email>", text)
    masked = _PHONE.sub("<phone>", masked)
    masked = _STREET_NUMBER.sub(lambda match: f"{match[1]} <nr>", masked)
    return _HOUSE_NUMBER.sub(lambda match: f"{match[1]} <nr>", masked)
