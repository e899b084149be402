/** Lets the event loop run what is waiting (other users' requests, timers) before long work goes on: a server process
 * serves everyone, and an import or a recompute of tens of seconds must not hold them all (setImmediate: after I/O). */
export const yieldToEventLoop = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
