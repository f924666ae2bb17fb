from fahrplan.cli import main

main()
