"""Start Tessera's window: `python main.py [--demo] [--data-dir PATH] [--offline] [--screenshot FILE]`."""

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
