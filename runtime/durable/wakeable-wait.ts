/**
 * Waits up to `ms`, or until the function handed to `setWake` is called: how a
 * waiter that learns of news by notification still looks again after a while
 * (a NOTIFY lost while the listening connection was down).
 */
export function wakeableWait(ms: number, setWake: (wake: (() => void) | null) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      setWake(null);
      resolve();
    }
    setWake(done);
  });
}
