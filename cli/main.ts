// Entry point of the `hyperkata` command (cli/). Subcommands arrive with the levels issue.
console.log('hyperkata: the simulation core is under construction; see README.md.');
