// The `tipflow` command. Each subcommand loads its own modules when it runs, so `tipflow route` does not
// pay for what the server or the simulator need.
import { Argument, Command, Option } from 'commander';
import { POOL_HELP } from './commands/pool-option.js';

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
  .command('exercises')
  .description('List the bundled exercises and your own, with lesson and duration.')
  .option('--dir <folder...>', 'folders with your exercise files (default: ./exercises, or TIPFLOW_EXERCISES)')
  .option('--json', 'print the list as JSON')
  .action(async (options: { dir?: string[]; json?: boolean }) => {
    const { exercisesCommand } = await import('./commands/exercises.js');
    process.exitCode = exercisesCommand(options);
  });

program
  .command('validate')
  .description('Check exercise files: YAML, schema, references, and that each is solvable (exit 1 on any error).')
  .argument('<exercises...>', 'exercise YAML files')
  .option('--strict', 'fail on warnings too (unreachable injects, objectives without expected actions)')
  .option('--explain', 'print the path the solvability run took')
  .addHelpText('after', '\nErrors are printed as file:line:col: severity: message.\n\nExample:\n  tipflow validate --explain fixtures/scenarios/webmail-houston.yaml')
  .action(async (files: string[], options: { strict?: boolean; explain?: boolean }) => {
    const { validateCommand } = await import('./commands/validate.js');
    process.exitCode = validateCommand(files, options);
  });

program
  .command('generate')
  .description('Write a valid, solvable exercise generated from a seed (same seed, same file).')
  .requiredOption('--seed <n>', 'the seed (a whole number)')
  .option('--lesson <code>', 'what it must teach: a caveat code (CGNAT_NO_PORT), a channel (attache) or an outcome (legal-process)')
  .option('-o, --output <file>', 'write to this file instead of stdout')
  .addHelpText('after', '\nExample:\n  tipflow generate --seed 7 --lesson VPN -o exercises/vpn-7.yaml')
  .action(async (options: { seed: string; lesson?: string; output?: string }) => {
    const { generateCommand } = await import('./commands/generate.js');
    process.exitCode = generateCommand(options);
  });

program
  .command('play')
  .description('Play an exercise in the terminal, decision by decision, and get the graded debrief (for trainees).')
  .argument('[exercise]', 'exercise YAML file (default: pick one from the list)')
  .addOption(new Option('--mode <mode>', 'practice: hints and undo; assessment: every decision final (default: practice)').choices(['practice', 'assessment']))
  .option('--resume <session>', 'continue a saved session (it keeps its mode)')
  .option('--save <file>', 'where to save the session (default: ./tipflow-sessions/<exercise>-<date>-<time>.json)')
  .addOption(new Option('--inspect <tool>', "opt-in, online only: also show the session in Stately's hosted inspector (sends its events to stately.ai)").choices(['stately']))
  .addHelpText(
    'after',
    '\nThe session is saved after every step; Ctrl-C saves it too. Needs a terminal: for scripts use tipflow run --answers.\n\nExamples:\n  tipflow play\n  tipflow play fixtures/scenarios/webmail-houston.yaml\n  tipflow play fixtures/scenarios/decline-hosting-then-wichita.yaml --mode assessment\n  tipflow play --resume tipflow-sessions/webmail-houston-20250101-093000.json',
  )
  .action(async (exercise: string | undefined, options: { mode?: 'practice' | 'assessment'; resume?: string; save?: string; inspect?: 'stately' }) => {
    const { playCommand } = await import('./commands/play.js');
    process.exitCode = await playCommand(exercise, options);
  });

program
  .command('run')
  .description('Play an exercise headless from a scripted answer file and print the graded debrief.')
  .argument('<exercise>', 'exercise YAML file')
  .requiredOption('--answers <file>', 'answer file (YAML or JSON, format tipflow.answers/1)')
  .option('--json', 'print the debrief as JSON')
  .option('--md', 'print the debrief as Markdown')
  .option('--save <session>', 'save the session file for tipflow report / replay')
  .addHelpText('after', '\nExample:\n  tipflow run fixtures/scenarios/webmail-houston.yaml --answers my-answers.yaml --md > debrief.md')
  .action(async (exercise: string, options: { answers: string; json?: boolean; md?: boolean; save?: string }) => {
    const { runCommand } = await import('./commands/run.js');
    process.exitCode = runCommand(exercise, options);
  });

program
  .command('report')
  .description('Print the debrief of a saved session (decisions, yours vs expected, why; P/S/M/U per objective).')
  .argument('<session>', 'session file written by tipflow play or tipflow run --save')
  .option('--json', 'as JSON')
  .option('--md', 'as Markdown')
  .action(async (session: string, options: { json?: boolean; md?: boolean }) => {
    const { reportCommand } = await import('./commands/run.js');
    process.exitCode = reportCommand(session, options);
  });

program
  .command('aar')
  .description('Draft an after-action report and improvement plan (HSEEP AAR/IP) from graded sessions: HTML (prints cleanly to PDF) or Markdown.')
  .argument('<files...>', 'session files (tipflow play, tipflow run --save), debriefs (tipflow run --json) or results exports (results.json of a cohort)')
  .option('--md', 'Markdown instead of HTML')
  .option('-o, --output <file>', 'write to this file instead of stdout')
  .addHelpText(
    'after',
    "\nA session file or a debrief names no trainee: the file's name stands for the trainee (save one per trainee, e.g. alice.json).\nA results export gives ratings only, without the decisions behind them.\n\nExamples:\n  tipflow aar sessions/alice.json sessions/bob.json -o report.html\n  tipflow aar results.json --md > aar.md",
  )
  .action(async (files: string[], options: { md?: boolean; output?: string }) => {
    const { aarCommand } = await import('./commands/aar.js');
    process.exitCode = aarCommand(files, options);
  });

program
  .command('replay')
  .description("Replay a saved session's event log through the machine and print its timeline.")
  .argument('<session>', 'session file')
  .action(async (session: string) => {
    const { replayCommand } = await import('./commands/run.js');
    process.exitCode = replayCommand(session);
  });

program
  .command('serve')
  .description('Serve the web app and the classroom API on this machine (bundled exercises; a SQLite file, or a PostgreSQL database several instances share).')
  .option('--port <n>', 'port', '3000')
  .option('--host <host>', 'address to listen on (0.0.0.0 lets the trainees\' machines in the room reach it)', '127.0.0.1')
  .option('--db <file|url>', 'SQLite database file (created on first start), or postgres://user@host:port/db for a PostgreSQL database several instances share (default: TIPFLOW_DB, else ./tipflow.db)')
  .option('--pool <n>', POOL_HELP)
  .option('--dir <folder...>', 'folders with your own exercise files')
  .option('--log <file>', "structured request log (JSON lines); '-' for standard error", './tipflow.log')
  .addOption(new Option('--durability <level>', 'full: every acknowledged step survives a power loss; normal: a crash of tipflow only (faster)').choices(['full', 'normal']).default('full'))
  .addOption(new Option('--inspect <tool>', "opt-in, online only: also stream every session to Stately's hosted inspector (sends events to stately.ai); offline, use /inspect").choices(['stately']))
  .addHelpText(
    'after',
    '\nThe first start creates the account "instructor" and prints its password once (or set TIPFLOW_ADMIN_PASSWORD).\nTIPFLOW_LOG_LEVEL sets the log level (default info). See docs/server.md for the API.',
  )
  .action(async (options: { port: string; host: string; db?: string; pool?: string; dir?: string[]; log: string; inspect?: 'stately'; durability: 'full' | 'normal' }) => {
    const { serveCommand } = await import('./commands/serve.js');
    process.exitCode = await serveCommand(options);
  });

const user = program.command('user').description('Manage accounts in the server database.');
user
  .command('add')
  .description('Create an account; the password comes from TIPFLOW_USER_PASSWORD or is generated and printed once.')
  .argument('<name>', 'account name')
  .requiredOption('--role <role>', 'instructor or trainee')
  .option('--db <file|url>', 'SQLite database file or postgres:// URL (default: TIPFLOW_DB, else ./tipflow.db)')
  .option('--pool <n>', POOL_HELP)
  .action(async (name: string, options: { role: string; db?: string; pool?: string }) => {
    const { userAddCommand } = await import('./commands/serve.js');
    process.exitCode = await userAddCommand(name, options);
  });
user
  .command('password')
  .description('Give an account a new password and end its sign-ins: a generated one-time password, printed once and changed at the next sign-in, or one read from standard input with --stdin.')
  .argument('<name>', 'account name (the sign-in name)')
  .option('--db <file|url>', 'SQLite database file or postgres:// URL (default: TIPFLOW_DB, else ./tipflow.db)')
  .option('--pool <n>', POOL_HELP)
  .option('--stdin', 'read the new password from the first line of standard input and keep it (not one-time)')
  .addHelpText('after', '\nExamples:\n  tipflow user password ada --db ./tipflow.db\n  tipflow user password ada --db postgres://tipflow@db.example.org:5432/tipflow --pool 2\n  printf "%s\\n" "$NEW_PASSWORD" | tipflow user password instructor --stdin')
  .action(async (name: string, options: { db?: string; pool?: string; stdin?: boolean }) => {
    const { userPasswordCommand } = await import('./commands/user-password.js');
    process.exitCode = await userPasswordCommand(name, options);
  });

const db = program.command('db').description('Move a classroom between databases.');
db.command('copy')
  .description('Copy accounts (with password hashes), cohorts, uploads, assignments, grants, releases, clocks and every session with its log and messages from one database to another, then replay every copied session to check the copy.')
  .requiredOption('--from <file|url>', 'the database to copy: a SQLite file or a postgres:// URL (it is only read)')
  .requiredOption('--to <file|url>', 'the database to copy into: a SQLite file or a postgres:// URL (empty, unless --into-non-empty)')
  .option('--into-non-empty', 'copy into a database that has accounts or sessions already: what it has under the same id is kept, the rest added')
  .option('--pool <n>', POOL_HELP)
  .addHelpText('after', '\nExample:\n  tipflow db copy --from ./tipflow.db --to postgres://tipflow@db.example.org:5432/tipflow\nProgress goes to standard error; exit 1 when the copy differs from the source in any record.')
  .action(async (options: { from: string; to: string; intoNonEmpty?: boolean; pool?: string }) => {
    const { dbCopyCommand } = await import('./commands/db-copy.js');
    process.exitCode = await dbCopyCommand(options);
  });

program
  .command('diagram')
  .description('Print the machine as a picture: Mermaid (default), SVG, Graphviz DOT, or JSON (graph and layout).')
  .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'svg', 'dot', 'json']).default('mermaid'))
  .addOption(new Option('--machine <name>', 'which machine').choices(['routing']).default('routing'))
  .option('-o, --output <file>', 'write to this file instead of stdout')
  .addHelpText('after', '\nExamples:\n  tipflow diagram\n  tipflow diagram --format svg -o machine.svg\n  tipflow diagram --format dot | dot -Tpng > machine.png')
  .action(async (options: { format: string; machine: string; output?: string }) => {
    const { diagramCommand } = await import('./commands/diagram.js');
    process.exitCode = await diagramCommand(options);
  });

program
  .command('simulate')
  .description('Simulate a year of CyberTipline-scale traffic through the routing machine: queues, SLAs, outcomes, caveats; writes a JSON file and an HTML report.')
  .option('--tips <n>', 'route the first n tips of the year (at that year\'s rate)')
  .option('--year <yyyy>', 'the year whose volume and rate to simulate, 2019 to 2024 (alone: the whole year; default year: the parameters\' defaultYear)')
  .option('--seed <s>', 'seed of the synthetic stream (same seed and parameters, same figures)', '1')
  .option('--workers <k>', 'worker threads (0 routes in this thread; default: up to 2, one per core)')
  .option('--json', 'print the summary as JSON instead of the table')
  .option('--out <dir>', 'folder for summary.json and report.html (default: ./simulation-<year|n>-<seed>)')
  .option('--params <file>', 'parameters file (default: fixtures/sim/parameters.yaml, see docs/simulate.md)')
  .option('--engine', 'route every tip through the full engine instead of the fast path (slow; for checking)')
  .option('--check-every <n>', 'also route every n-th tip the other way and stop if the two differ (0: never)', '1000')
  .addHelpText(
    'after',
    '\nEvery tip is synthetic and contentless, and follows the same statechart as a trainee\'s tip (docs/simulate.md).\n' +
      'Progress goes to stderr: a bar with rate and ETA on a terminal, a line every 10 % otherwise.\n\n' +
      'Examples:\n  tipflow simulate --tips 100000\n  tipflow simulate --year 2019 --seed 7\n  tipflow simulate --tips 1000000 --year 2023 --workers 2 --out /tmp/sim-2023\n  tipflow simulate --tips 5000 --json --params my-parameters.yaml',
  )
  .action(async (options: { tips?: string; year?: string; seed?: string; workers?: string; json?: boolean; out?: string; params?: string; engine?: boolean; checkEvery?: string }) => {
    const { simulateCommand } = await import('./commands/simulate.js');
    process.exitCode = await simulateCommand(options);
  });

program
  .command('schema')
  .description('Print a JSON Schema on stdout.')
  .addArgument(new Argument('<what>', 'which schema').choices(['tip', 'scenario', 'answers']))
  .action(async (what: string) => {
    const { schemaCommand } = await import('./commands/schema.js');
    process.exitCode = schemaCommand(what);
  });

await program.parseAsync(process.argv);
