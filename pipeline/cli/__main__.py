"""`python -m pipeline.cli`: the `newsbrief` command (the server is started this way)."""

from . import main

if __name__ == "__main__":  # a spawned helper process imports this module again, as __mp_main__
    main()
