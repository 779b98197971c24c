/** The shared pipeline moved to plugin/pipeline/; this path stays while bench/ (owned apart) still imports it. */
export * from "../pipeline/compile-cache.ts";
