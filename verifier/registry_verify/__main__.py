from registry_verify.cli import main

main()
