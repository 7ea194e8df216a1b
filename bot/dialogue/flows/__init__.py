"""The dialogue's own flows: conversation basics, topic answers, privacy, content reload."""
