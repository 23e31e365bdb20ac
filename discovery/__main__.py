import sys

from discovery.cli import main

sys.exit(main())
