"""The game's scenes: title, picker, briefing, drill and debrief."""
