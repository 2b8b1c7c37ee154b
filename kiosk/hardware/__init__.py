"""Devices behind small ports, each with a simulator: card reader, printer, hotplug."""
