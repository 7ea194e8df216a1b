"""The curated content under `content/`: topics, menu, campaign calendar and places."""
