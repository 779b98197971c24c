/**
 * The application's OpenTelemetry setup in a worker process of the trace tests:
 * a tracer provider whose spans go, each as it ends, to CAIRN_TEST_TRACE_FILE
 * (test/helpers/otel-spans.ts), and the async-hooks context manager, as a Node
 * application registers them before it creates its worker.
 */
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { FileSpanExporter } from "../helpers/otel-spans.ts";

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: new FileSpanExporter(process.env.CAIRN_TEST_TRACE_FILE!) })] }));
