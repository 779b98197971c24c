/** The runtime's name for the shared duration parser (ir-schema/duration.ts). */
export { parseDuration, type Duration } from "../../ir-schema/duration.ts";
