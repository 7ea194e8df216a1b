"""Unanswered questions and answer votes, kept without identity."""
