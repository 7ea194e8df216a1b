"""Reading forms: text fields only, trimmed; what a page shows back is escaped by Jinja2."""

from __future__ import annotations

from starlette.requests import Request


async def text_fields(request: Request) -> dict[str, str]:
    """The form's text fields (the last value of a repeated name); uploads are ignored."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


async def field(request: Request, name: str, default: str = "") -> str:
    """One text field of the form, stripped."""
    return (await text_fields(request)).get(name, default).strip()
