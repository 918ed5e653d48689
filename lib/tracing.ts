/**
 * OpenTelemetry tracing, opt-in (TRACING_EXPORTER): the v2 interceptors of the Temporal SDK
 * (@temporalio/interceptors-opentelemetry-v2) on the client (StartWorkflow, SignalWorkflow...),
 * the activities (RunActivity) and the workflows (RunWorkflow, StartActivity; their spans leave
 * the sandbox through the `exporter` sink), exported to the console or over OTLP/HTTP. The
 * workflow interceptors are part of the workflow bundle, so a traced worker runs a bundle made
 * with workflowInterceptorModules; the stored histories replay on both bundles
 * (test/tracing.test.ts).
 */
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry-v2';
import type { WorkerOptions } from '@temporalio/worker';

/** The module the workflow bundle includes when tracing is on. */
export const TRACING_WORKFLOW_INTERCEPTORS = require.resolve('@temporalio/interceptors-opentelemetry-v2/lib/workflow-interceptors');

export interface Tracing {
  tracer: Tracer;
  /** Client interceptors (new Client({ interceptors })). */
  clientInterceptors: { workflow: OpenTelemetryWorkflowClientInterceptor[] };
  /** Worker options: the activity interceptors and the workflow spans' sink. */
  workerOptions: Pick<WorkerOptions, 'interceptors' | 'sinks'>;
  shutdown: () => Promise<void>;
}

export interface TracingOptions {
  /** 'console', 'otlp' (to `otlpEndpoint`), or an exporter of the caller's (tests). */
  exporter: 'console' | 'otlp' | SpanExporter;
  otlpEndpoint?: string | undefined;
  serviceName: string;
}

export function createTracing(opts: TracingOptions): Tracing {
  const resource = resourceFromAttributes({ 'service.name': opts.serviceName });
  const processor: SpanProcessor =
    opts.exporter === 'console'
      ? new SimpleSpanProcessor(new ConsoleSpanExporter())
      : opts.exporter === 'otlp'
        ? new BatchSpanProcessor(new OTLPTraceExporter(opts.otlpEndpoint ? { url: `${opts.otlpEndpoint.replace(/\/$/, '')}/v1/traces` } : {}))
        : new SimpleSpanProcessor(opts.exporter);
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  trace.setGlobalTracerProvider(provider);
  // Without a context manager no span is ever "active" in Node, and without a propagator the
  // client writes no trace header: the workflow's spans would start a trace of their own.
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const tracer = provider.getTracer('ambassador-settlement');
  return {
    tracer,
    clientInterceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer })] },
    workerOptions: {
      interceptors: {
        activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer }), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
      },
      sinks: { exporter: makeWorkflowExporter(processor, resource) },
    },
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
