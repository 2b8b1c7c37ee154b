"""The My Number card stack: transport port, APDU/TLV helpers, card sessions, simulator.

Layers (dependencies point down):

* ``my_number_card.MyNumberCard(transport)`` — the facade the app uses: ``recognise()``,
  ``pin_status()``, ``read_resident(pin, trust)``, ``read_auth_certificate(trust)``,
  ``sign_with_auth_key(auth_pin, sha256_digest)``.
* ``jpki.JpkiSession`` / ``input_support.InputSupportSession`` on ``session.ApplicationSession``
  — one card application each, with an allow-list of the files they may touch.
* ``protocol.CardProtocol`` — 61xx/6Cxx, masked TRAFFIC traces, status words.
* ``apdu`` (commands, status words, ``redact``), ``tlv`` (strict BER-TLV); records
  ``basic_four``, ``integrity``, ``cv_certificate``; anchors in ``trust``.
* ``transport.CardTransport`` — the port; ``pcsc`` (the only pyscard import) and ``sim``.
* ``cli`` — ``python -m kiosk.hardware.card {status,read,simulate}``.
"""
