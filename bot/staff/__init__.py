"""Staff of the prevention services: accounts, roles, one-time sign-in links, the /signin flow.

Used by the workspace (`bot/web/`), the command line and the dialogue; it knows no HTTP.
"""
