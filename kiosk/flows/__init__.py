"""The visit as plain Python (no Kivy): the core, its parts, the procedures, the services."""
