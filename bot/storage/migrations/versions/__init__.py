"""One module per revision; 0001-0003 are the schemas of the PRAGMA user_version era."""
