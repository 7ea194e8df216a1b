"""Reading forms: text fields only, trimmed; what a page shows back is escaped by Jinja2."""

from __future__ import annotations

from starlette.requests import Request


async def text_fields(request: Request) -> dict[str, str]:
    """The form's text fields (the last value of a repeated name); uploads are ignored."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}
