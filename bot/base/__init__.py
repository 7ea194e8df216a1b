"""The bottom layer: settings, interface translations, errors, log redaction."""
