"""Receipt printer: port, profiles, status decoding, simulators and the python-escpos adapter.

Only :mod:`kiosk.hardware.printer.escpos_adapter` imports python-escpos / pyusb / pyserial.
"""
