/**
 * `rxsc` in a process of its own, so that its peak RSS is its own. Usage:
 * `node cliProcess.js REPORT_FILE ARGS…` runs the built CLI (dist/cli/main.js)
 * with ARGS and, as it exits, writes `{ code, maxRssMB }` as JSON to REPORT_FILE.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const [report = '', ...args] = process.argv.slice(2);
process.argv = [process.argv[0] ?? process.execPath, path.join(__dirname, '..', 'cli', 'main.js'), ...args];
process.on('exit', (code) => writeFileSync(report, JSON.stringify({ code, maxRssMB: process.resourceUsage().maxRSS / 1024 })));
require('../cli/main.js');
