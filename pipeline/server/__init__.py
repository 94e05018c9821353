"""The warm pipeline process behind `newsbrief server`: ``common`` (socket paths, wire format),
``server`` (the process), ``client`` (the caller's side). See :mod:`pipeline.server.server`."""
