/** The benchmarks' workflow bundle: the production workflows and the empty workflow (never shipped). */
export * from '../../workflows';
export * from './empty-workflow';
