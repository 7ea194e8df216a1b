"""The prevention services' workspace: server-rendered pages (Starlette, Jinja2, htmx).

A channel of its own beside `channels/`: it calls the same features and storage as the bot.
`app.py` builds the application from the page modules; `access.py` says who may use a route.
"""
