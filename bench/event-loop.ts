/** The longest pause of the event loop while something runs: how long the server's other users would have waited at
 * worst. A timer every 10 ms notes how late it comes; `stop` counts the stretch since its last turn too (a computation
 * that never yields shows as one pause as long as itself). */
import { performance } from 'node:perf_hooks';

export function pauseProbe(): { stop: () => number } {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 10);
    last = now;
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(longest, performance.now() - last - 10, 0);
    },
  };
}
