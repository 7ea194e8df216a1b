"""Campaign reminders: due-time rules, subscriptions, announcements and delivery."""
