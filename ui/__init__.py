"""DrillCommand front end (pygame-ce + pygame_gui): the game a trainee plays.

The package draws engine snapshots and turns a trainee's clicks and keys into
engine commands; it never changes a drill any other way. Scenes (title,
picker, briefing, drill, debrief) are separate states run by :mod:`ui.app`.
"""
