"""The workspace's editorial features: topic forms, checks, preview, review and publishing."""
