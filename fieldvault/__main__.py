from fieldvault.cli import main

raise SystemExit(main())
