/** The option-key checks (ir-schema/call-options.ts), for the authoring API's own option objects. */
export { checkKeys, shapeOf } from "../../ir-schema/call-options.ts";
