"""The commands' glue, one module per command: each opens the run (udsat.pipeline.open_run),
takes the steps it needs and publishes through udsat.publish. udsat.cli imports only the module
of the command it runs, so a command pays for nothing it does not use."""
