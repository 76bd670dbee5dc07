// The faultline executable's first module. `faultline --version` is answered here, before the
// command-line parser, the schemas and the drivers are loaded: scripts call it to see whether (and
// which) faultline is installed, and it should cost no more than Node's own start.
import { VERSION } from './version.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) process.stdout.write(`${VERSION}\n`);
else process.exitCode = await (await import('./main.js')).main(process.argv);
