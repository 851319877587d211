"""The main window: its menus' handlers, the workspace that follows the phase, the start page,
the guide, navigation between views, and how it fits a laptop screen."""
