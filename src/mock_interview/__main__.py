from mock_interview.cli import main

raise SystemExit(main())
