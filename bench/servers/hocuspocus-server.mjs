// Hocuspocus 3 (in-memory, no extensions) for the benchmarks: `PORT=n node bench/servers/hocuspocus-server.mjs`.
import { Server } from '@hocuspocus/server';

const port = Number(process.env.PORT);
const server = new Server({ port, address: '127.0.0.1', quiet: true, stopOnSignals: true });
await server.listen();
process.stdout.write(`listening ${server.address.port}\n`);
