import { runCli } from './run-cli.js';

// The entry point: `bin/framewatch.js` imports this module. Long-running roles (start, worker, api,
// scheduler) keep the event loop alive; one-shot commands exit here.
const code = await runCli(process.argv);
if (code !== 0) process.exit(code);
else process.exitCode = 0;
