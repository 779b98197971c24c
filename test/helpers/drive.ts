/** A synchronous driver for the interpreter: every dispatched call is answered by `answer`. */
import type { Artifact } from "../../ir-schema/index.ts";
import { advance, resolve, start, stateFromJson, stateToJson, type Dispatch, type Outcome, type State } from "../../runtime/interpreter/index.ts";

export interface DriveResult {
  state: State;
  dispatched: Dispatch[];
  /** The state after every suspension, as JSON. */
  snapshots: string[];
}

/**
 * Runs to the end. Calls are answered in dispatch order right after the step that
 * dispatched them; sleeps are skipped by moving `now` to their deadline. With
 * `roundTrip`, the run continues from a JSON copy (via the state codec) at every suspension.
 */
export function drive(artifact: Artifact, input: Record<string, unknown>, answer: (d: Dispatch) => Outcome, opts: { roundTrip?: boolean } = {}): DriveResult {
  let state = start(artifact, input);
  let now = 0;
  const dispatched: Dispatch[] = [];
  const snapshots: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const step = advance(artifact, state, now);
    state = step.state;
    dispatched.push(...step.dispatch);
    for (const d of step.dispatch) resolve(state, d.callId, answer(d));
    if (state.status === "completed" || state.status === "failed") return { state, dispatched, snapshots };
    snapshots.push(JSON.stringify(stateToJson(state)));
    if (opts.roundTrip) state = stateFromJson(JSON.parse(snapshots[snapshots.length - 1]));
    if (state.wait?.kind === "sleep") now = state.wait.until;
  }
  throw new Error("drive: too many steps");
}
