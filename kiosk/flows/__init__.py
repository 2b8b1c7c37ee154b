"""The resident's visit as plain Python (no Kivy): state, steps, services and the controller."""
