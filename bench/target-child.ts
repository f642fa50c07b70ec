/** Hosts the embedded reference target in its own process for the engine-overhead bench; prints its address as one JSON line. */
import { startReferenceTarget } from '../src/target/server.js';

const t = await startReferenceTarget();
process.stdout.write(`${JSON.stringify({ url: t.url, credentials: t.credentials, persons: t.persons })}\n`);
const stop = () => void t.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
