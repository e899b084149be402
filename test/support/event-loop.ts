/** Counts the turns the event loop gets while something runs: a chain of setImmediate callbacks, each of which runs
 * only when the loop has a turn (a computation or a sequence of queries that never lets it run counts none). */
export function turnCounter(): { stop: () => number } {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      running = false;
      return turns;
    },
  };
}
