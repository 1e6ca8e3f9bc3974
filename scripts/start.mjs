// `npm start`: build the client when needed, then run the server in this process (tsx
// loader registered in-process, so signals and exit codes are the server's own: a SIGKILL
// of this pid kills the server, there is no orphaned child).
import { register } from 'tsx/esm/api';
import { buildClientIfNeeded } from './build-if-needed.mjs';

const args = process.argv.slice(2);
if (!args.includes('--help') && !args.includes('-h')) {
  try {
    await buildClientIfNeeded();
  } catch (err) {
    process.stderr.write(`client build failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
register();
await import('../server/main.ts');
