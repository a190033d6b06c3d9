// The `tipflow` command. Each subcommand loads its own modules when it runs, so `tipflow route` does not
// pay for what the server or the simulator need.
import { Argument, Command } from 'commander';

const program = new Command();

program
  .name('tipflow')
  .description('Training simulator for the routing of synthetic, contentless child-exploitation tips (CyberTipline model).')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .configureHelp({ sortSubcommands: false });

program
  .command('route')
  .description('Route tips in auto mode through the engine and print the outcome (exit 1 if a tip is invalid).')
  .argument('<tips...>', 'tip JSON files, or folders of them')
  .option('--json', 'print one JSON object per tip (a JSON array for several)')
  .option('--at <time>', "routing time, ISO 8601 (default: each tip's receivedAt); decides STALE_IP_EVENT")
  .addHelpText('after', '\nExamples:\n  tipflow route fixtures/tips/webmail-houston.json\n  tipflow route --json --at 2020-06-01T00:00:00Z fixtures/tips/p2p-residential-nancy.json\n  tipflow route fixtures/tips')
  .action(async (tips: string[], options: { json?: boolean; at?: string }) => {
    const { routeCommand } = await import('./commands/route.js');
    process.exitCode = routeCommand(tips, options);
  });

program
  .command('schema')
  .description('Print a JSON Schema on stdout.')
  .addArgument(new Argument('<what>', 'which schema').choices(['tip']))
  .action(async (what: string) => {
    const { schemaCommand } = await import('./commands/schema.js');
    process.exitCode = schemaCommand(what);
  });

await program.parseAsync(process.argv);
