"""The dialogue core: routes what a user sent to registered flows and renders replies."""
