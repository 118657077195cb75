import sys

from swgdash.cli import main

sys.exit(main())
