"""The `preventbot` command: one module per sub-command."""
