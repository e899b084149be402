/** Lets the event loop run what is waiting (other users' requests, timers) before long work goes on: a server process
 * serves everyone, and an import or a recompute of tens of seconds must not hold them all (`setImmediate` of
 * node:timers/promises: after I/O; the PGlite connection, src/db/connection.ts, takes the same turn after each query). */
export { setImmediate as yieldToEventLoop } from 'node:timers/promises';
